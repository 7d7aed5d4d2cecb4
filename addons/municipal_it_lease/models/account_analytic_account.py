# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


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
    is_it_activity_code = fields.Boolean(
        string="Is Activity Code",
        compute="_compute_is_it_activity_code",
        search="_search_is_it_activity_code",
        help="An account of the activity code plan of one of your companies.",
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
    def _search_is_it_activity_code(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on this field."))
        plans = self.env.companies.it_activity_code_plan_id
        positive = (operator == "=") == value
        return [("root_plan_id", "in" if positive else "not in", plans.ids)]

    def _compute_is_it_activity_code(self):
        plans = self.env.companies.it_activity_code_plan_id
        for account in self:
            account.is_it_activity_code = account.root_plan_id in plans

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # The Activity Codes menu creates codes in the company's code plan,
        # whatever state the browser's context is in after a reload.
        if (
            self.env.context.get("it_activity_code_default")
            and "plan_id" in fields_list
            and not values.get("plan_id")
        ):
            values["plan_id"] = self.env.company.it_activity_code_plan_id.id
        return values

    @api.ondelete(at_uninstall=False)
    def _unlink_except_it_activity_code_in_use(self):
        history = (
            self.env["it.activity.code.assignment"]
            .sudo()
            .search([("activity_code_id", "in", self.ids)], limit=1)
        )
        if history:
            raise UserError(
                self.env._(
                    "Activity code %(code)s has been given to devices (e.g. "
                    "%(device)s): it is kept for their history and charges. "
                    "Archive it instead.",
                    code=history.activity_code_id.display_name,
                    device=history.equipment_id.display_name,
                )
            )

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
