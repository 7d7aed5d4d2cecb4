# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, fields, models
from odoo.exceptions import UserError


class ItDisposalBatch(models.Model):
    _inherit = "it.disposal.batch"

    # Made by the collection: a crate given one by hand would leave its
    # serials in stock.
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Outgoing Transfer",
        readonly=True,
        copy=False,
        it_system=True,
        help="The transfer that shipped the crate's serial numbers to the recipient.",
    )

    def _after_collect(self):
        res = super()._after_collect()
        for batch in self:
            batch._ship_serials()
        return res

    def _ship_serials(self):
        """Validate an outgoing transfer of the crate's Inventory serials to
        the recipient, so that stock on hand and the lots' traceability agree
        with the register. Devices without a serial in stock need none."""
        self.ensure_one()
        if self.picking_id:
            return False
        # The crate's collection is the cause of the transfer, whoever
        # collects it (IT staff need no Inventory rights): the step runs with
        # sudo() once the user is known to be allowed to write the crate.
        self.check_access("write")
        quants = self._get_quants_to_ship()
        if not quants:
            return False
        warehouse = self._get_shipping_warehouse()
        destination = self.env.ref("stock.stock_location_customers")
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(self._prepare_shipping_picking_vals(warehouse, quants, destination))
        )
        picking.action_confirm()
        self._assign_shipped_serials(picking, quants, destination)
        picking._action_done()
        self.sudo().picking_id = picking
        return picking

    def _get_quants_to_ship(self):
        """The quants in internal locations of the company of the crate's
        devices' serials."""
        self.ensure_one()
        lots = self.line_ids.equipment_id.lot_id
        if not lots:
            return self.env["stock.quant"]
        return (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("location_id.usage", "=", "internal"),
                    ("company_id", "=", self.company_id.id),
                    ("quantity", ">", 0),
                ]
            )
        )

    def _get_shipping_warehouse(self):
        """The company's warehouse the crate's serials leave from."""
        self.ensure_one()
        warehouse = (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )
        if not warehouse:
            raise UserError(
                self.env._(
                    "Crate %(crate)s holds devices in stock but %(company)s has no "
                    "warehouse to ship them from.",
                    crate=self.display_name,
                    company=self.company_id.name,
                )
            )
        return warehouse

    def _prepare_shipping_picking_vals(self, warehouse, quants, destination):
        """The outgoing transfer to the recipient: one move per product of
        ``quants``."""
        self.ensure_one()
        return {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": self.recipient_id.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": destination.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": self.name,
                        "product_id": product.id,
                        "product_uom_qty": sum(product_quants.mapped("quantity")),
                        "product_uom": product.uom_id.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": destination.id,
                        "company_id": self.company_id.id,
                    }
                )
                for product, product_quants in quants.grouped("product_id").items()
            ],
        }

    def _assign_shipped_serials(self, picking, quants, destination):
        """Replace what the reservation chose by exactly the crate's serials
        (``quants``), picked."""
        for move in picking.move_ids:
            move.move_line_ids.unlink()
            move.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": quant.product_id.id,
                                "lot_id": quant.lot_id.id,
                                "quantity": quant.quantity,
                                "product_uom_id": quant.product_id.uom_id.id,
                                "location_id": quant.location_id.id,
                                "location_dest_id": destination.id,
                                "picking_id": picking.id,
                            }
                        )
                        for quant in quants.filtered(
                            lambda q, move=move: q.product_id == move.product_id
                        )
                    ],
                    "picked": True,
                }
            )
