# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    it_punchout_activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="Punchout Activity Code",
        company_dependent=True,
        help="The activity code of the lines of a cart this user brings back "
        "from a reseller's shop.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["it_punchout_activity_code_id"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["it_punchout_activity_code_id"]
