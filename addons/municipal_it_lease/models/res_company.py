# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _default_it_activity_code_plan(self):
        return self.env.ref(
            "municipal_it_lease.account_analytic_plan_activity_code",
            raise_if_not_found=False,
        )

    it_activity_code_plan_id = fields.Many2one(
        comodel_name="account.analytic.plan",
        string="Activity Code Plan",
        default=_default_it_activity_code_plan,
        help="Analytic plan whose accounts are the activity codes (cost centres) "
        "that leased devices are charged to. The analytic account code is the "
        "activity code.",
    )
