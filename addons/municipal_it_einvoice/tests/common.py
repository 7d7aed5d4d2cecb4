# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user

from odoo.addons.municipal_it_lease.tests.common_reconciliation import (
    ItReconciliationCommon,
)

from . import ubl_builder

# The lessor's March invoice as in the lease addon's reconciliation tests:
# A matched (500.00), B billed 1,234.50 against a rent of 400.00, X not in
# the register, C billed after its return at the end of February, D (250.00)
# not invoiced.
MARCH_LINES = (
    ("SN-A", 500.0),
    ("sn-b", 1234.5),
    ("SN-X", 199.0),
    ("SN-C", 300.0),
)
MARCH_CLASSES = {
    "SN-A": ("matched", 500.0, 500.0),
    "sn-b": ("amount_differs", 1234.5, 400.0),
    "SN-X": ("not_in_register", 199.0, 0.0),
    "SN-C": ("after_end", 300.0, 0.0),
    "SN-D": ("not_invoiced", 0.0, 250.0),
}


class EInvoiceCommon(ItReconciliationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.company_registry = "2120000142"
        cls.lessor.company_registry = "5566778899"
        cls.journal_purchase = cls.env["account.journal"].search(
            [
                *cls.env["account.journal"]._check_company_domain(cls.company),
                ("type", "=", "purchase"),
            ],
            limit=1,
        ) or cls.env["account.journal"].create(
            {"name": "Leverantörsfakturor", "code": "LF", "type": "purchase"}
        )
        cls.clerk = new_test_user(
            cls.env,
            login="ap_clerk",
            name="Accounts Payable Clerk",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice",
        )

    def _receive(self, content, filename="faktura.xml", user=None):
        """A vendor bill created from the e-invoice ``content`` as an upload
        on the purchase journal does (Odoo's own import), as ``user``."""
        env = self.env(user=user or self.clerk)
        attachment = env["ir.attachment"].create(
            {"name": filename, "raw": content, "mimetype": "application/xml"}
        )
        return (
            env["account.journal"]
            .browse(self.journal_purchase.id)
            .with_context(default_move_type="in_invoice")
            ._create_document_from_attachment(attachment.ids)
        )

    def _build(self, lines=MARCH_LINES, **values):
        """The lessor's e-invoice of ``lines``, in the schedules' currency
        (the company's) unless ``values`` say otherwise."""
        values.setdefault("currency", self.company.currency_id.name)
        return ubl_builder.build(lines, **values)
