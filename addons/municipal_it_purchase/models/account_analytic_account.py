# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    it_budget_holder_id = fields.Many2one(
        comodel_name="res.users",
        string="Budget Holder",
        tracking=True,
        help="Approves (attests) the IT purchase orders charged to this activity "
        "code, up to the approval limit.",
    )
    it_budget_deputy_id = fields.Many2one(
        comodel_name="res.users",
        string="Deputy Budget Holder",
        tracking=True,
        help="May approve in the budget holder's place.",
    )
    it_approval_limit = fields.Monetary(
        string="Approval Limit per Order",
        tracking=True,
        help="Largest amount (untaxed, company currency) of one order on this "
        "activity code that the budget holder approves alone; above it the next "
        "level approves too.",
    )

    @api.constrains("it_approval_limit")
    def _check_it_approval_limit(self):
        for account in self:
            if account.it_approval_limit < 0:
                raise ValidationError(
                    self.env._(
                        "Activity code %(code)s: the approval limit cannot be "
                        "negative.",
                        code=account.display_name,
                    )
                )

    def _get_it_approvers(self):
        """The users who may approve for this activity code."""
        self.ensure_one()
        return self.it_budget_holder_id | self.it_budget_deputy_id
