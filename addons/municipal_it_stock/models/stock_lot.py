# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    equipment_ids = fields.One2many(
        comodel_name="maintenance.equipment",
        inverse_name="lot_id",
        string="Registered Devices",
    )
    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        compute="_compute_equipment_id",
        help="The device of the IT register that has this serial number.",
    )

    @api.depends("equipment_ids")
    def _compute_equipment_id(self):
        for lot in self:
            lot.equipment_id = lot.equipment_ids[:1]

    def action_open_equipment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.equipment",
            "res_id": self.equipment_id.id,
            "view_mode": "form",
        }
