# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real Peppol BIS Billing 3.0 documents: Odoo's own test documents and the
official examples of the specification that Odoo ships with them (its UBL
test addon's "from_peppol-bis-invoice-3_doc"; the examples are not copied
into this repository: OpenPEPPOL gives them no licence). Each is imported
as a vendor bill with this addon installed, without error, and read by the
e-invoice reader; as a lessor's e-invoice, each is refused by name, never
with a crash."""

from pathlib import Path

from lxml import etree

from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged

from ..tools.ubl import CAC, read_document
from .common import EInvoiceCommon

# The documents of Odoo's own "from_odoo" test files that its UBL tests
# import (the others are expected exports, with placeholders).
ODOO_IMPORTED = (
    "bis3_out_invoice.xml",
    "bis3_out_invoice_no_prices.xml",
    "bis3_pay_term.xml",
    "bis3_ecotaxes_case1.xml",
    "bis3_ecotaxes_case2.xml",
    "bis3_ecotaxes_case3.xml",
    "bis3_ecotaxes_case4.xml",
    "bis3_out_invoice_quantity_and_or_unit_price_zero.xml",
)


def _real_documents():
    odoo_files = (
        Path(get_module_path("l10n_account_edi_ubl_cii_tests") or "/nonexistent")
        / "tests"
        / "test_files"
    )
    found = sorted(
        path
        for path in (
            *odoo_files.glob("from_peppol-bis-invoice-3_doc/*.xml"),
            *(odoo_files / "from_odoo" / name for name in ODOO_IMPORTED),
        )
    )
    return found


@tagged("post_install", "-at_install")
class TestRealDocuments(EInvoiceCommon):
    def test_documents_are_found(self):
        names = {path.name for path in _real_documents()}
        # Odoo's own (its UBL test addon ships with Odoo) and the official
        # examples Odoo copied from the specification.
        self.assertIn("bis3_out_invoice.xml", names)
        self.assertIn("bis3_allowance.xml", names)
        self.assertIn("bis3_credit_note.xml", names)
        self.assertEqual(len(names), len(ODOO_IMPORTED) + 4)

    def test_import_as_vendor_bills_without_error(self):
        for path in _real_documents():
            content = path.read_bytes()
            root = etree.fromstring(content)
            kind = etree.QName(root).localname
            if kind not in ("Invoice", "CreditNote"):
                continue  # the example of a sales order
            with self.subTest(document=path.name):
                bill = self._receive(content, filename=path.name)
                self.assertTrue(bill.invoice_line_ids, path.name)
                errors = bill.message_ids.filtered(
                    lambda message: "Error importing attachment" in (message.body or "")
                )
                self.assertFalse(errors, path.name)
                self.assertFalse(bill.it_einvoice_error)
                self.assertFalse(bill.it_reconciliation_id)
                self.assertFalse(bill.it_einvoice_hold)
                document = read_document(content, self.env, 2**24)
                self.assertEqual(
                    len(document.lines),
                    len(root.findall(f"{CAC}{kind}Line")),
                    path.name,
                )
                self.assertEqual(document.is_credit_note, kind == "CreditNote")

    def test_as_the_lessors_e_invoice_each_is_refused_by_name(self):
        """Sent as if by the lessor (a bill of the lessor with the document
        as its e-invoice), none can be reconciled: another company's
        invoice, in another currency, without serial numbers; each says
        why."""
        bill = self._receive(self._build(number="F-REAL"))
        for path in _real_documents():
            with self.subTest(document=path.name):
                bill.it_einvoice_attachment_id.sudo().raw = path.read_bytes()
                with self.assertRaisesRegex(
                    UserError,
                    "addressed to|is from|is in [A-Z]{3}|no serial number|"
                    "root element is Order|the rows are",
                ):
                    bill.with_user(self.clerk).action_it_einvoice_reconcile()
