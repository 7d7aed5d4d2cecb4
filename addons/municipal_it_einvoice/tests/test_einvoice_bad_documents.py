# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Each bad e-invoice refused by name, the bill kept (Odoo's import) and
held, and nothing of a reconciliation written."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.ubl import read_document
from .common import MARCH_CLASSES, MARCH_LINES, EInvoiceCommon


@tagged("post_install", "-at_install")
class TestEInvoiceBadDocuments(EInvoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A good March first: a refused document must leave it as it is.
        cls.good = cls._receive(cls, cls._build(cls, number="F-GOOD"))
        cls.reconciliation = cls.good.it_reconciliation_id

    def _assert_refused(self, content, regex):
        """Receive ``content`` as a vendor bill of the lessor and reconcile
        it: refused with ``regex``, on the bill and from the button."""
        bill = self._receive(content)
        self.assertRegex(bill.it_einvoice_error or "", regex)
        self.assertTrue(bill.it_einvoice_hold)
        self.assertFalse(bill.it_reconciliation_id)
        with self.assertRaisesRegex(UserError, regex):
            bill.with_user(self.clerk).action_it_einvoice_reconcile()
        self._assert_untouched()
        return bill

    def _assert_refused_document(self, content, regex):
        """A document Odoo's import does not take as a UBL invoice: refused
        by the e-invoice reader, from the bill's button."""
        attachment = self.env["ir.attachment"].create(
            {"name": "faktura.xml", "raw": content, "mimetype": "application/xml"}
        )
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.lessor.id,
                "it_einvoice_attachment_id": attachment.id,
            }
        )
        with self.assertRaisesRegex(UserError, regex):
            bill.with_user(self.clerk).action_it_einvoice_reconcile()
        self._assert_untouched()

    def _assert_untouched(self):
        self.assertTrue(self.reconciliation.exists())
        self.assertEqual(self._by_serial(self.reconciliation), MARCH_CLASSES)
        self.assertEqual(
            self.Reconciliation.search_count([("lessor_id", "=", self.lessor.id)]), 1
        )

    def test_not_ubl(self):
        self._assert_refused_document(
            b'<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm='
            b'"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"/>',
            "not a UBL invoice or credit note: its root element is "
            "CrossIndustryInvoice",
        )

    def test_not_xml(self):
        self._assert_refused_document(b"Bilaga;Serienummer\n", "not well-formed XML")

    def test_wrong_document_type(self):
        order = self._build(number="F-ORDER").replace(b"xsd:Invoice-2", b"xsd:Order-2")
        order = order.replace(b"<Invoice ", b"<Order ").replace(
            b"</Invoice>", b"</Order>"
        )
        self._assert_refused_document(order, "its root element is Order")

    def test_wrong_document_type_code(self):
        self._assert_refused(
            self._build(number="F-PRO", type_code="386"),
            "document type code '386': not an invoice",
        )

    def test_invoice_of_another_company(self):
        self._assert_refused(
            self._build(number="F-OTHER", buyer=("Grannkommun", "2120000001")),
            "addressed to Grannkommun .*not to",
        )

    def test_invoice_of_another_lessor(self):
        """Odoo's import finds the lessor by its name; the document's seller
        identifiers are another company's."""
        self._assert_refused(
            self._build(number="F-LESSOR", seller=("Test Lessor AB", "5560000001")),
            "is from Test Lessor AB .*not from the lessor",
        )

    def test_currency_not_the_schedules(self):
        other = "EUR" if self.company.currency_id.name != "EUR" else "NOK"
        self._assert_refused(
            self._build(number="F-OTHER-CURRENCY", currency=other),
            f"is in {other}; the schedules of Test Lessor AB are in "
            f"{self.company.currency_id.name}",
        )

    def test_duplicate_lines(self):
        lines = [
            ("SN-A", 500.0, {"id": "1"}),
            ("SN-B", 400.0, {"id": "1"}),
        ]
        self._assert_refused(
            self._build(lines, number="F-DUP"),
            r"Line 2 \(ID 1\): line ID 1 is used twice \(also line 1\)",
        )

    def test_each_bad_line_named(self):
        """Every line that cannot be read is named with each of its problems:
        line 2's object identifier is of another scheme than the lessor's (no
        serial number), line 3 names no annex and bills two units, line 4
        says no period (nor does the invoice)."""
        self.lessor.it_einvoice_serial_source = "object_id"
        self.lessor.it_einvoice_object_scheme = "SN"
        march = ("2026-03-01", "2026-03-31")
        lines = [
            ("SN-A", 500.0, {"schedule": "S-1", "period": march}),
            ("SN-B", 400.0, {"schedule": "S-1", "period": march}),
            ("SN-C", 600.0, {"period": march, "quantity": 2}),
            ("SN-D", 250.0, {"schedule": "S-1"}),
        ]
        content = self._build(
            lines, number="F-LINES", contract_ref=None, period=None
        ).replace(b'schemeID="SN">SN-B<', b'schemeID="AN">SN-B<')
        self._assert_refused(
            content,
            r"The invoice lines were not read:\n"
            r"Line 2 \(ID 2\): no serial number where the lessor carries it\.\n"
            r"Line 3 \(ID 3\): no annex: neither the line \(attribute Schedule\) "
            r"nor the invoice \(contract reference BT-12, order reference BT-13\) "
            r"names it; quantity 2: a line bills one device\.\n"
            r"Line 4 \(ID 4\): no invoiced period \(BT-134\) on the line or the "
            r"invoice\.$",
        )

    def test_control_character_on_a_line(self):
        """A line's text is checked as a file's cell is: a control character
        (U+0085, which XML allows) is refused, named by row and column."""
        self._assert_refused(
            self._build([("SN-A", 500.0), ("SN-\u0085B", 400.0)], number="F-CTRL"),
            r"The file was not imported:\nRow 2, column 2 \(Serial\): contains "
            r"the control character U\+0085",
        )

    def test_serial_twice(self):
        self._assert_refused(
            self._build([*MARCH_LINES, ("sn-a", 500.0)], number="F-TWICE"),
            "(?s)the rows are its invoice lines.*Row 5: serial number sn-a is "
            r"invoiced twice for 2026-03 \(also row 1\)",
        )

    def test_quantity_of_more_than_one_device(self):
        self._assert_refused(
            self._build([("SN-A", 1000.0, {"quantity": 2})], number="F-QTY"),
            "quantity 2: a line bills one device",
        )

    def test_unknown_annex(self):
        self._assert_refused(
            self._build(number="F-ANNEX", contract_ref="Bilaga 9"),
            "schedule 'Bilaga 9' is not a schedule of Test Lessor AB",
        )

    def test_external_entity_and_doctype(self):
        """An external entity is neither read nor fetched: the document is
        refused for its DOCTYPE."""
        content = self._build(number="F-XXE").replace(
            b'<?xml version="1.0" encoding="UTF-8"?>\n',
            b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Invoice '
            b'[<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        )
        content = content.replace(b"F-XXE", b"&xxe;", 1)
        self._assert_refused_document(content, r"declares a document type")
        with self.assertRaisesRegex(UserError, "declares a document type"):
            read_document(content, self.env, 2**20)

    def test_oversized_document(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "municipal_it_einvoice.max_document_mb", "0.001"
        )
        self._assert_refused(
            self._build(number="F-BIG"),
            "is 0.0 MB: larger than the 0.0 MB this database accepts",
        )

    def test_attached_specification_of_another_invoice(self):
        specification = b"Bilaga;Serienummer;Period;Belopp\nS-1;SN-A;2026-03;500\n"
        self.lessor.it_einvoice_serial_source = "attachment"
        self._assert_refused(
            self._build(
                [("", 900.0)],
                number="F-ATT",
                serial_in="attachment",
                attachment=specification,
            ),
            "adds up to 500.00, its lines to 900.00",
        )

    def test_no_attached_specification(self):
        self.lessor.it_einvoice_serial_source = "attachment"
        self._assert_refused(
            self._build(number="F-NOATT"), "has no attached CSV or XLSX specification"
        )
