# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.municipal_it_disposal.tests.common import DisposalCommon


@tagged("post_install", "-at_install")
class TestCollectShipsSerials(DisposalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.product = cls.env["product.product"].create(
            {
                "name": "Laptop 14 tum",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.lot_1, cls.lot_2 = cls.env["stock.lot"].create(
            [
                {"name": "INV-1", "product_id": cls.product.id},
                {"name": "INV-2", "product_id": cls.product.id},
            ]
        )
        Quant = cls.env["stock.quant"]
        for lot in cls.lot_1 | cls.lot_2:
            Quant._update_available_quantity(cls.product, cls.stock, 1, lot_id=lot)
        cls.in_stock_1 = cls._create_device("INV-1", lot_id=cls.lot_1.id)
        cls.in_stock_2 = cls._create_device("INV-2", lot_id=cls.lot_2.id)
        # Registered before procurement existed: no Inventory serial.
        cls.old_device = cls._create_device("OLD-1")

    def _on_hand(self, lot):
        return sum(
            self.env["stock.quant"]
            .search([("lot_id", "=", lot.id), ("location_id.usage", "=", "internal")])
            .mapped("quantity")
        )

    def test_collection_ships_the_serials_to_the_recipient(self):
        self.assertEqual(self._on_hand(self.lot_1), 1)
        batch = self._batch(devices=self.in_stock_1 | self.in_stock_2 | self.old_device)
        batch.with_user(self.it_user).action_seal()
        self._collect(batch.with_user(self.it_user))
        picking = batch.picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.partner_id, self.lessor)
        self.assertEqual(picking.origin, batch.name)
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_1 | self.lot_2)
        # Stock on hand, traceability and the register agree: both serials
        # left stock for the customer location, the old device needed nothing.
        self.assertEqual(self._on_hand(self.lot_1), 0)
        self.assertEqual(self._on_hand(self.lot_2), 0)
        customers = self.env.ref("stock.stock_location_customers")
        self.assertEqual(
            self.env["stock.quant"]
            .search([("lot_id", "in", (self.lot_1 | self.lot_2).ids)])
            .filtered(lambda q: q.quantity > 0)
            .location_id,
            customers,
        )
        self.assertEqual(
            self.env["stock.move.line"]
            .search([("lot_id", "=", self.lot_1.id), ("state", "=", "done")])
            .mapped("location_dest_id"),
            customers,
        )
        self.assertTrue(
            all(
                (self.in_stock_1 | self.in_stock_2 | self.old_device).mapped(
                    "disposal_in_transit"
                )
            )
        )

    def test_crate_without_inventory_serials_needs_no_transfer(self):
        batch = self._batch(devices=self.old_device)
        batch.action_seal()
        self._collect(batch)
        self.assertEqual(batch.state, "collected")
        self.assertFalse(batch.picking_id)

    def test_transfer_set_only_by_the_collection(self):
        """A crate given a transfer by hand would skip shipping its serials:
        the lot would stay in stock."""
        other = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        batch = self._batch(devices=self.in_stock_1).with_user(self.it_user)
        with self.assertRaisesRegex(UserError, "change only through its"):
            batch.write({"picking_id": other.id})
        batch.action_seal()
        with self.assertRaisesRegex(UserError, "change only through its"):
            batch.write({"picking_id": other.id})
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.env["it.disposal.batch"].with_user(self.it_user).create(
                {
                    "recipient_id": self.lessor.id,
                    "crate_number": "BUR-18",
                    "picking_id": other.id,
                }
            )
        self._collect(batch)
        self.assertNotEqual(batch.picking_id, other)
        self.assertEqual(batch.picking_id.state, "done")
        self.assertEqual(self._on_hand(self.lot_1), 0)
