# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    it_portal_show_activity_code = fields.Boolean(
        related="company_id.it_portal_show_activity_code", readonly=False
    )
    it_portal_responsible_id = fields.Many2one(
        related="company_id.it_portal_responsible_id", readonly=False
    )
