# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    it_equipment_ids = fields.One2many(
        comodel_name="maintenance.equipment",
        inverse_name="activity_code_id",
        string="Devices",
    )
    it_equipment_count = fields.Integer(
        string="Device Count",
        compute="_compute_it_equipment_count",
    )

    @api.depends("it_equipment_ids")
    def _compute_it_equipment_count(self):
        counts = dict(
            self.env["maintenance.equipment"]._read_group(
                [("activity_code_id", "in", self.ids)],
                groupby=["activity_code_id"],
                aggregates=["__count"],
            )
        )
        for account in self:
            account.it_equipment_count = counts.get(account, 0)

    def action_view_it_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.maintenance_equipment_action_it"
        )
        action["domain"] = [("activity_code_id", "=", self.id)]
        action["context"] = {"default_activity_code_id": self.id}
        return action

    @api.model
    def _action_open_it_activity_codes(self):
        """Open the analytic accounts of the activity code plans of the
        companies the user works in."""
        plans = self.env.companies.it_activity_code_plan_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "analytic.action_account_analytic_account_form"
        )
        action.update(
            name=self.env._("Activity Codes"),
            domain=[("root_plan_id", "in", plans.ids)],
            context={"default_plan_id": plans[:1].id},
        )
        return action

    @api.model
    def _get_it_activity_codes(self, company, references):
        """{code: analytic account} of the activity codes of ``company``
        among ``references``."""
        references = {ref.strip() for ref in references if ref and ref.strip()}
        if not references:
            return {}
        codes = self.search(
            [
                ("code", "in", list(references)),
                ("root_plan_id", "=", company.it_activity_code_plan_id.id),
                ("company_id", "in", [company.id, False]),
            ]
        )
        return {code.code: code for code in codes}
