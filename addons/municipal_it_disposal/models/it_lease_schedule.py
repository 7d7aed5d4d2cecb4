# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItLeaseSchedule(models.Model):
    _inherit = "it.lease.schedule"

    return_end_basis = fields.Selection(
        selection=[
            ("receipt", "Confirmed receipt"),
            ("pickup", "Pickup"),
        ],
        string="Lease Ends on Return At",
        default="receipt",
        required=True,
        tracking=True,
        help="When a returned device stops being leased (and charged): the day "
        "the lessor confirms its receipt, or the day the crate is picked up, "
        "as the lease terms say.",
    )
