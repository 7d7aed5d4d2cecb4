# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    it_activity_code_plan_id = fields.Many2one(
        related="company_id.it_activity_code_plan_id",
        readonly=False,
    )
