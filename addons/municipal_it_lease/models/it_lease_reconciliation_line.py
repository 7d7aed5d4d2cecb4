# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index

RECONCILIATION_STATUSES = [
    ("matched", "Matched"),
    ("amount_differs", "Amount differs"),
    ("not_in_register", "Invoiced, not in the register"),
    ("not_invoiced", "In the register, not invoiced"),
    ("after_end", "Invoiced after return or buy-out"),
]


class ItLeaseReconciliationLine(models.Model):
    """One row of the lessor's invoice specification, or one leased device
    the specification left out, with what the register says of it."""

    _name = "it.lease.reconciliation.line"
    _description = "Lessor Invoice Reconciliation Line"
    _order = "reconciliation_id, status, row, id"
    # Written by the import, 100,000 at a time, never by hand: the
    # reconciliation keeps who imported the file and when, and its company.
    _log_access = False

    # Indexed with the status (see init): a reconciliation's rows of one
    # class are the list a clerk opens.
    reconciliation_id = fields.Many2one(
        comodel_name="it.lease.reconciliation",
        required=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="reconciliation_id.company_id")
    row = fields.Integer(help="Row of the specification file; empty if not invoiced.")
    schedule_ref = fields.Char(string="Schedule (invoice)")
    serial_no = fields.Char(string="Serial Number (invoice)")
    serial_normalized = fields.Char(index=True)
    period = fields.Date(help="First day of the month invoiced.")
    invoiced_amount = fields.Monetary(string="Invoiced")
    expected_amount = fields.Monetary(string="Expected")
    difference = fields.Monetary(compute="_compute_difference", store=True)
    currency_id = fields.Many2one(related="reconciliation_id.currency_id")
    equipment_id = fields.Many2one("maintenance.equipment", string="Device", index=True)
    lease_line_id = fields.Many2one("it.lease.line")
    status = fields.Selection(selection=RECONCILIATION_STATUSES)

    def init(self):
        create_index(
            self.env.cr,
            "it_lease_reconciliation_line_reconciliation_status_index",
            self._table,
            ["reconciliation_id", "status"],
        )

    def _compute_difference(self):
        for line in self:
            line.difference = line.invoiced_amount - line.expected_amount

    def _check_not_accepted(self, reconciliations):
        accepted = reconciliations.filtered(lambda rec: rec.state == "accepted")
        if accepted:
            accepted[:1]._raise_accepted()

    def _check_written_by_import(self):
        """A line is what the lessor's file said and what the register
        expected of it: only the import writes it (marking a line matched by
        hand would hide an overcharge from whoever checks the invoice). The
        import writes them in SQL; the ORM is left to the superuser."""
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Reconciliation lines are written by the import of the "
                    "lessor's specification only. To correct them, import the "
                    "corrected file again in place of this one."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_written_by_import()
        self._check_not_accepted(
            self.env["it.lease.reconciliation"].browse(
                {
                    vals["reconciliation_id"]
                    for vals in vals_list
                    if vals.get("reconciliation_id")
                }
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_import()
        self._check_not_accepted(self.reconciliation_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_accepted(self):
        self._check_not_accepted(self.reconciliation_id)
