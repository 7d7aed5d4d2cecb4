# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools.access import IT_MANAGER, check_groups

DECISIONS = [("return", "Return"), ("buy_out", "Buy out"), ("extend", "Extend")]


class ItLeaseEndDecision(models.TransientModel):
    """Decide what happens to devices at lease end: one decision for a whole
    schedule, with exceptions per device."""

    _name = "it.lease.end.decision"
    _description = "End-of-Lease Decision"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    schedule_id = fields.Many2one(
        "it.lease.schedule", string="Lease Schedule", check_company=True
    )
    decision = fields.Selection(
        selection=DECISIONS,
        required=True,
        default="return",
        help="Applies to every device below that has no decision of its own.",
    )
    extension_date_from = fields.Date(
        string="Extension From",
        help="First day of the extension annex, after the current term ends.",
    )
    extension_date_end = fields.Date(string="Extension Until")
    buyout_date = fields.Date(
        string="Buy-out Date",
        default=fields.Date.context_today,
        help="Devices bought out are charged until this day.",
    )
    line_ids = fields.One2many(
        "it.lease.end.decision.line", "wizard_id", string="Devices"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        lease_lines = self.env["it.lease.line"]
        if values.get("schedule_id"):
            schedule = self.env["it.lease.schedule"].browse(values["schedule_id"])
            lease_lines = schedule.line_ids
            values["decision"] = schedule.end_option
        elif context.get("active_model") == "it.lease.line":
            lease_lines = lease_lines.browse(context.get("active_ids"))
        elif context.get("active_model") == "maintenance.equipment":
            lease_lines = (
                self.env["maintenance.equipment"]
                .browse(context.get("active_ids"))
                .lease_line_id
            )
        lease_lines = lease_lines.filtered(lambda line: not line.end_decision)
        if lease_lines:
            end = max(lease_lines.mapped("date_end"))
            values["extension_date_from"] = fields.Date.add(end, days=1)
            values["extension_date_end"] = fields.Date.add(end, months=12)
        values["line_ids"] = [
            Command.create(
                {"lease_line_id": line.id, "new_monthly_rent": line.monthly_rent}
            )
            for line in lease_lines
        ]
        return values

    def action_apply(self):
        """Carry out the decisions; buy-outs give one draft vendor bill per
        lessor, which is opened."""
        check_groups(self, self.env._("decide at lease end"), IT_MANAGER)
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("There is no undecided device to decide on."))
        by_decision = {
            key: self.env["it.lease.end.decision.line"] for key, _ in DECISIONS
        }
        for line in self.line_ids:
            by_decision[line.decision or self.decision] |= line
        by_decision["return"].lease_line_id._decide_return()
        extend = by_decision["extend"]
        if extend:
            if not (self.extension_date_from and self.extension_date_end):
                raise UserError(
                    self.env._("Give the dates of the extension: from and until.")
                )
            extend.lease_line_id._decide_extend(
                self.extension_date_from,
                self.extension_date_end,
                {line.lease_line_id: line.new_monthly_rent for line in extend},
            )
        bills = self.env["account.move"]
        if by_decision["buy_out"]:
            bills = by_decision["buy_out"].lease_line_id._decide_buy_out(
                self.buyout_date
            )
        if bills:
            return {
                "type": "ir.actions.act_window",
                "res_model": "account.move",
                "view_mode": "list,form",
                "domain": [("id", "in", bills.ids)],
                "name": self.env._("Buy-out Bills"),
            }
        return {"type": "ir.actions.act_window_close"}


class ItLeaseEndDecisionLine(models.TransientModel):
    _name = "it.lease.end.decision.line"
    _description = "End-of-Lease Decision per Device"
    _check_company_auto = True

    wizard_id = fields.Many2one(
        "it.lease.end.decision", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="wizard_id.company_id", store=True, index=True)
    lease_line_id = fields.Many2one("it.lease.line", required=True, check_company=True)
    equipment_id = fields.Many2one(related="lease_line_id.equipment_id")
    serial_no = fields.Char(related="lease_line_id.serial_no")
    currency_id = fields.Many2one(related="lease_line_id.currency_id")
    monthly_rent = fields.Monetary(related="lease_line_id.monthly_rent")
    residual_value = fields.Monetary(related="lease_line_id.residual_value")
    decision = fields.Selection(
        selection=DECISIONS,
        string="Exception",
        help="Leave empty to follow the decision for the whole schedule.",
    )
    new_monthly_rent = fields.Monetary(string="Rent When Extended")
