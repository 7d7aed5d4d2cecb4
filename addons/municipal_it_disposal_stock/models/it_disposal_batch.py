# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, fields, models
from odoo.exceptions import UserError


class ItDisposalBatch(models.Model):
    _inherit = "it.disposal.batch"

    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Outgoing Transfer",
        readonly=True,
        copy=False,
        help="The transfer that shipped the crate's serial numbers to the recipient.",
    )

    def _get_system_fields(self):
        # The transfer is made by the collection: a crate given one would
        # leave its serials in stock.
        return super()._get_system_fields() | {"picking_id"}

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
        lots = self.line_ids.equipment_id.lot_id
        if not lots or self.picking_id:
            return False
        # Collecting the crate is the cause of the transfer, whoever collects
        # it: IT staff need no Inventory rights for it.
        Quant = self.env["stock.quant"].sudo()
        quants = Quant.search(
            [
                ("lot_id", "in", lots.ids),
                ("location_id.usage", "=", "internal"),
                ("company_id", "=", self.company_id.id),
                ("quantity", ">", 0),
            ]
        )
        if not quants:
            return False
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
        destination = self.env.ref("stock.stock_location_customers")
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
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
                                "product_uom_qty": sum(
                                    product_quants.mapped("quantity")
                                ),
                                "product_uom": product.uom_id.id,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": destination.id,
                                "company_id": self.company_id.id,
                            }
                        )
                        for product, product_quants in quants.grouped(
                            "product_id"
                        ).items()
                    ],
                }
            )
        )
        picking.action_confirm()
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
        picking._action_done()
        self._in_transition().picking_id = picking
        return picking
