# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.einvoice import EInvoiceBundle, SpecificationTable


class ItLeaseReconciliation(models.Model):
    _inherit = "it.lease.reconciliation"

    einvoice_move_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="it_reconciliation_id",
        string="E-Invoices",
        readonly=True,
        help="The lessor's bills and credit notes of the month whose e-invoices "
        "this reconciliation reads.",
    )
    einvoice_move_count = fields.Integer(
        string="E-Invoice Count", compute="_compute_einvoice_move_count"
    )

    @api.depends("einvoice_move_ids")
    def _compute_einvoice_move_count(self):
        for reconciliation in self:
            reconciliation.einvoice_move_count = len(reconciliation.einvoice_move_ids)

    @api.model
    def _read_specification_table(self, content):
        if isinstance(content, SpecificationTable):
            return content.rows
        return super()._read_specification_table(content)

    @api.model
    def _parse_specification(self, lessor, company, content, month=None):
        """An EInvoiceBundle: each e-invoice read by the specification reader
        (its rows named as its invoice lines, or as the rows of its attached
        specification), a credit note's amounts negative, and the amounts
        of one serial and month summed over the bundle (a credit note
        corrects the bill's row)."""
        if not isinstance(content, EInvoiceBundle):
            return super()._parse_specification(lessor, company, content, month=month)
        parsed, offset = [], 0
        for document, specification in content.parts:
            try:
                rows = super()._parse_specification(
                    lessor, company, specification, month=month
                )
            except UserError as error:
                if isinstance(specification, SpecificationTable):
                    where = self.env._("the rows are its invoice lines, in order.")
                else:
                    where = self.env._(
                        "the rows are those of its attached specification."
                    )
                raise UserError(
                    self.env._(
                        "E-invoice %(number)s of %(lessor)s: %(where)s\n%(error)s",
                        number=document.number,
                        lessor=lessor.name,
                        where=where,
                        error=error.args[0],
                    )
                ) from error
            sign = document.sign
            if sign < 0 or offset:
                rows = [
                    (number + offset, schedule, serial, key, period, sign * amount)
                    for number, schedule, serial, key, period, amount in rows
                ]
            parsed.extend(rows)
            offset = max(offset, max(row[0] for row in rows))
        if len(content.parts) == 1:
            return parsed
        summed = {}
        for row in parsed:
            key = (row[3], row[4])
            if key in summed:
                first = summed[key]
                summed[key] = first[:5] + (first[5] + row[5],)
            else:
                summed[key] = row
        return list(summed.values())

    def action_view_einvoice_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("id", "in", self.einvoice_move_ids.ids)]
        action["context"] = {"create": False}
        if len(self.einvoice_move_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.einvoice_move_ids.id
        return action
