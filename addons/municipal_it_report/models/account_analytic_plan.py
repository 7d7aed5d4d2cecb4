# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# SIE 4B §8.17 reserves dimensions 1-19; 1 (cost centre) and 6 (project) are
# the ones a municipal finance system maps analytic plans to, 20 and up are free.
SIE_ALLOWED_DIMENSIONS = (1, 2, 6)


class AccountAnalyticPlan(models.Model):
    _inherit = "account.analytic.plan"

    sie_dimension = fields.Integer(
        string="SIE Dimension",
        help="Dimension number of this plan's analytic accounts in SIE exports "
        "(SIE filformat 4B, #DIM): 1 = cost centre (kostnadsställe), "
        "2 = cost unit (kostnadsbärare), 6 = project, 20 or more = a free "
        "dimension. Empty: the plan is not exported, except the activity code "
        "plan, which is exported as dimension 1.",
    )

    @api.constrains("sie_dimension")
    def _check_sie_dimension(self):
        for plan in self:
            number = plan.sie_dimension
            if number and number not in SIE_ALLOWED_DIMENSIONS and number < 20:
                raise ValidationError(
                    self.env._(
                        "Analytic plan %(plan)s: SIE dimension %(number)s is "
                        "reserved by the SIE format; use 1, 2, 6 or a number "
                        "of 20 or more.",
                        plan=plan.name,
                        number=number,
                    )
                )
