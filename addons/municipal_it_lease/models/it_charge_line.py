# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class ItChargeLine(models.Model):
    """What one device costs one activity code in one charge run.

    A device normally has one line a month; it has two when its activity code
    changed during the month or its lease line ended and another began.
    Lines are written in bulk by the run, never edited by hand.

    A big city's run writes 100,000 lines in one statement, and PostgreSQL
    checks each foreign key of each row: a line keeps only the references
    that are its own (run, device, lease line, activity code). Its company
    and currency are the run's, and who wrote it and when are the run's (its
    creator and its chatter), so none is stored again per line.
    """

    _name = "it.charge.line"
    _description = "IT Lease Charge Line"
    _order = "run_id, activity_code_id, equipment_id, date_from"
    _log_access = False

    run_id = fields.Many2one(
        comodel_name="it.charge.run",
        string="Charge Run",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="run_id.company_id")
    run_state = fields.Selection(related="run_id.state", string="Run Status")
    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        required=True,
        index=True,
        readonly=True,
    )
    serial_no = fields.Char(related="equipment_id.serial_no", string="Serial Number")
    lease_line_id = fields.Many2one(
        comodel_name="it.lease.line",
        required=True,
        readonly=True,
        index=True,
    )
    schedule_id = fields.Many2one(
        related="lease_line_id.schedule_id", string="Lease Schedule"
    )
    activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        index=True,
        readonly=True,
    )
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    days = fields.Integer(required=True, readonly=True)
    monthly_rent = fields.Monetary(readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    # The company's: a charged schedule is in the company's currency.
    currency_id = fields.Many2one(related="run_id.currency_id")

    def _check_run_draft(self, runs):
        locked = runs.filtered(lambda run: run.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "Charge run %(run)s is posted or reversed: its lines are the "
                    "record of what was charged and cannot be changed.",
                    run=locked[0].name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_run_draft(
            self.env["it.charge.run"].browse(
                {vals["run_id"] for vals in vals_list if vals.get("run_id")}
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_run_draft(self.run_id)
        if "run_id" in vals:
            self._check_run_draft(self.env["it.charge.run"].browse(vals["run_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted_run(self):
        self._check_run_draft(self.run_id)
