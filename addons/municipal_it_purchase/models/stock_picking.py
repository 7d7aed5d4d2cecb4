# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    it_device_ids = fields.One2many(
        comodel_name="maintenance.equipment",
        inverse_name="it_receipt_picking_id",
        string="Registered Devices",
    )
    it_device_count = fields.Integer(
        string="Device Count", compute="_compute_it_device_count"
    )
    it_has_device_moves = fields.Boolean(
        string="Receives IT Devices", compute="_compute_it_has_device_moves"
    )

    def _compute_it_device_count(self):
        counts = dict(
            self.env["maintenance.equipment"]
            .sudo()
            ._read_group(
                [("it_receipt_picking_id", "in", self.ids)],
                groupby=["it_receipt_picking_id"],
                aggregates=["__count"],
            )
        )
        for picking in self:
            picking.it_device_count = counts.get(picking, 0)

    def _compute_it_has_device_moves(self):
        for picking in self:
            picking.it_has_device_moves = bool(
                picking.move_ids._filter_it_device_receipts()
            )

    def _action_done(self):
        """Register the received IT devices and mark the ones returned to the
        vendor, after Odoo has done the moves; a serial number already in the
        register is refused before anything is done."""
        todo_moves = self.move_ids.filtered(
            lambda move: move.state not in ("done", "cancel")
        )
        receipts = todo_moves._filter_it_device_receipts()
        returns = todo_moves._filter_it_device_returns()
        receipts._check_it_serials_free()
        todo_moves._check_it_within_attest()
        res = super()._action_done()
        receipts.filtered(lambda move: move.state == "done")._register_it_devices()
        returns.filtered(lambda move: move.state == "done")._return_it_devices()
        return res

    def action_view_it_devices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.maintenance_equipment_action_it"
        )
        action["domain"] = [
            "|",
            ("it_receipt_picking_id", "=", self.id),
            ("it_return_picking_id", "=", self.id),
        ]
        action["context"] = {}
        return action

    def action_open_it_serial_import(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_purchase.stock_picking_serial_import_action"
        )
        action["context"] = {"default_picking_id": self.id}
        return action
