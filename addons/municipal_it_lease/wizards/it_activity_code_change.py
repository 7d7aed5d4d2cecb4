# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import lease_rules
from ..tools.access import IT_MANAGER, check_groups


class ItActivityCodeChange(models.TransientModel):
    """Move the devices selected in the list to one activity code from a
    date: the same effective-dated history as a plan change."""

    _name = "it.activity.code.change"
    _description = "Change Activity Code of Devices"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    equipment_ids = fields.Many2many(
        comodel_name="maintenance.equipment",
        string="Devices",
        required=True,
        check_company=True,
    )
    activity_code_plan_id = fields.Many2one(
        related="company_id.it_activity_code_plan_id"
    )
    activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="New Activity Code",
        required=True,
        check_company=True,
        domain="[('root_plan_id', '=', activity_code_plan_id)]",
    )
    effective_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="First day charged on the new code.",
    )
    device_count = fields.Integer(compute="_compute_device_count")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "maintenance.equipment":
            values["equipment_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return values

    @api.depends("equipment_ids")
    def _compute_device_count(self):
        for wizard in self:
            wizard.device_count = len(wizard.equipment_ids)

    def action_apply(self):
        """Give the devices the new code from the effective date."""
        check_groups(self, self.env._("change activity codes"), IT_MANAGER)
        self.ensure_one()
        # The devices' code history is rewritten with sudo() below: the user
        # must be allowed to change these very devices (record rules, such as
        # another company's devices), not only devices in general.
        self.equipment_ids.check_access("write")
        if self.equipment_ids.company_id - self.company_id:
            raise UserError(self.env._("Change the devices of one company at a time."))
        self.company_id._check_it_date_not_charged(self.effective_date)
        Assignment = self.env["it.activity.code.assignment"].sudo()
        with_history = Assignment.search(
            [("equipment_id", "in", self.equipment_ids.ids)]
        ).equipment_id
        held = Assignment._read_group(
            [
                ("equipment_id", "in", with_history.ids),
                *lease_rules.code_valid_domain(self.effective_date),
            ],
            groupby=["activity_code_id"],
        )
        mapping = {
            code: self.activity_code_id
            for (code,) in held
            if code != self.activity_code_id
        }
        if mapping:
            Assignment._remap(
                self.company_id, mapping, self.effective_date, equipments=with_history
            )
        # Devices that never had a code get this one as their first.
        without_history = self.equipment_ids - with_history
        if without_history:
            without_history.with_context(
                activity_code_effective_date=self.effective_date
            ).activity_code_id = self.activity_code_id
        return {"type": "ir.actions.act_window_close"}
