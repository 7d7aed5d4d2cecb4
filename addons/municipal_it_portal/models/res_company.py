# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    it_portal_show_activity_code = fields.Boolean(
        string="Show Activity Codes to Lessors",
        help="Lessors' portal users see the activity code (cost centre) of each "
        "device. Hidden by default: it is internal.",
    )
    it_portal_responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Lessor Portal Responsible",
        domain="[('share', '=', False)]",
        help="Gets an activity when a lessor confirms, grades or uploads in the "
        "portal. Empty: the responsible of the record the lessor acted on.",
    )
