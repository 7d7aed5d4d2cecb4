# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.access import IT_MANAGER, check_groups


class OnboardingOnboardingStep(models.Model):
    """The set-up checklist of IT Leasing: Odoo's onboarding steps, each a
    link to its screen, marked done once what it asks for is there (read
    from the company's data, never ticked by hand)."""

    _inherit = "onboarding.onboarding.step"

    it_setup_key = fields.Char(
        string="IT Set-up Step",
        readonly=True,
        help="Which check of the IT Leasing set-up checklist marks this step done.",
    )
    it_setup_state = fields.Selection(
        selection=[
            ("todo", "To Do"),
            ("done", "Done"),
            ("not_installed", "Not Installed"),
        ],
        string="Set-up State",
        compute="_compute_it_setup_state",
    )

    @api.depends_context("company")
    @api.depends("it_setup_key")
    def _compute_it_setup_state(self):
        for step in self:
            if not step.it_setup_key:
                step.it_setup_state = False
                continue
            done = getattr(step, f"_it_setup_done_{step.it_setup_key}")()
            step.it_setup_state = (
                "not_installed" if done is None else ("done" if done else "todo")
            )

    # ------------------------------------------------------------------
    # The checks: True when done, None when the addon it needs is missing.
    # Existence only, for the current company, whatever the user may read.
    # ------------------------------------------------------------------

    def _it_setup_count(self, model, domain):
        if model not in self.env:
            return None
        return self.env[model].sudo().search_count(domain, limit=1)

    def _it_setup_done_company(self):
        company = self.env.company
        return bool(company.company_registry)

    def _it_setup_done_charging(self):
        return not self.env.company._get_it_charge_missing_settings()

    def _it_setup_done_activity_codes(self):
        plan = self.env.company.it_activity_code_plan_id
        return bool(
            plan
            and self._it_setup_count(
                "account.analytic.account",
                [
                    ("root_plan_id", "=", plan.id),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
            )
        )

    def _it_setup_done_budget_holders(self):
        if "it_budget_holder_id" not in self.env["account.analytic.account"]._fields:
            return None
        plan = self.env.company.it_activity_code_plan_id
        return bool(
            self._it_setup_count(
                "account.analytic.account",
                [
                    ("root_plan_id", "=", plan.id),
                    ("company_id", "in", [self.env.company.id, False]),
                    ("it_budget_holder_id", "!=", False),
                ],
            )
        )

    def _it_setup_done_lessor(self):
        company = self.env.company.id
        rates = self._it_setup_count("it.lease.rate", [("company_id", "=", company)])
        if rates is not None:
            return bool(rates)
        return bool(
            self._it_setup_count("it.lease.agreement", [("company_id", "=", company)])
        )

    def _it_setup_done_mdm(self):
        count = self._it_setup_count(
            "it.mdm.source", [("company_id", "in", [self.env.company.id, False])]
        )
        return None if count is None else bool(count)

    def _it_setup_done_purchase(self):
        orders = self.env.get("purchase.order")
        if orders is None or "it_is_it_order" not in orders._fields:
            return None
        return bool(
            self._it_setup_count(
                "purchase.order",
                [
                    ("company_id", "=", self.env.company.id),
                    ("it_is_it_order", "=", True),
                    ("receipt_status", "=", "full"),
                ],
            )
        )

    def _it_setup_done_month(self):
        return bool(
            self._it_setup_count(
                "it.charge.run",
                [("company_id", "=", self.env.company.id), ("state", "=", "posted")],
            )
        )

    # ------------------------------------------------------------------
    # The links: each step opens its screen.
    # ------------------------------------------------------------------

    @api.model
    def action_open_it_setup(self):
        """The checklist, for IT leasing managers."""
        check_groups(
            self, self.env._("open the set-up checklist"), IT_MANAGER, operation="read"
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.onboarding_onboarding_step_action_it_setup"
        )
        action["domain"] = [("it_setup_key", "!=", False)]
        return action

    @api.model
    def action_open_it_home(self):
        """The app's first screen: the set-up checklist while it has steps
        to do (for the managers who do them), else the device register."""
        if self.env.user.has_group(IT_MANAGER):
            steps = self.search([("it_setup_key", "!=", False)])
            if any(step.it_setup_state == "todo" for step in steps):
                return self.action_open_it_setup()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.maintenance_equipment_action_it"
        )

    def action_open_it_setup_step(self):
        self.ensure_one()
        check_groups(
            self, self.env._("open a set-up step"), IT_MANAGER, operation="read"
        )
        if not self.it_setup_key:
            raise AccessError(self.env._("This step is not an IT Leasing set-up step."))
        return getattr(self, f"_it_setup_open_{self.it_setup_key}")()

    def _it_setup_window(self, xmlid, **values):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update(values)
        return action

    def _it_setup_open_company(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Your Municipality"),
            "res_model": "res.company",
            "res_id": self.env.company.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def _it_setup_open_charging(self):
        return self._it_setup_window("municipal_it_lease.res_config_settings_action")

    def _it_setup_open_activity_codes(self):
        return self._it_setup_window(
            "municipal_it_lease.account_analytic_account_action_it_activity_code"
        )

    def _it_setup_open_budget_holders(self):
        return self._it_setup_open_activity_codes()

    def _it_setup_open_lessor(self):
        if "it.lease.rate" in self.env:
            return self._it_setup_window("municipal_it_purchase.it_lease_rate_action")
        return self._it_setup_window("municipal_it_lease.it_lease_agreement_action")

    def _it_setup_open_mdm(self):
        return self._it_setup_window("municipal_it_mdm.it_mdm_source_action")

    def _it_setup_open_purchase(self):
        return self._it_setup_window("municipal_it_purchase.purchase_order_action_it")

    def _it_setup_open_month(self):
        return self._it_setup_window("municipal_it_lease.it_charge_run_action")
