# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    it_portal_receipt_reminder_days = fields.Integer(
        string="Remind Lessor Before Receipt Deadline (days)",
        default=3,
        help="Days before a crate's receipt deadline on which the lessor's "
        "portal users are reminded of the serials not yet confirmed.",
    )
