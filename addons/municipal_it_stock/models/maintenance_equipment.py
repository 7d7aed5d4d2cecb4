# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Inventory Serial",
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The serial number (lot) of this device in Inventory, set when the "
        "device came in through a receipt.",
    )

    _sql_constraints = [
        (
            "lot_uniq",
            "unique(lot_id)",
            "An Inventory serial number belongs to one device only.",
        ),
    ]
