# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ItPurchaseCommon


@tagged("post_install", "-at_install")
class TestReceipt(ItPurchaseCommon):
    def _devices(self, order):
        return self.env["maintenance.equipment"].search(
            [("it_purchase_id", "=", order.id)], order="serial_no"
        )

    def test_three_serials_three_devices(self):
        # 3 laptops at 12,500 less 10 % = 11,250 each.
        order = self._create_order(
            [self._line(self.laptop, 3, 12500, self.code_school, discount=10)]
        )
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: ["SN-A1", "SN-A2", "SN-A3"]})
        self.assertEqual(picking.state, "done")
        devices = self._devices(order)
        self.assertEqual(devices.mapped("serial_no"), ["SN-A1", "SN-A2", "SN-A3"])
        today = fields.Date.context_today(devices)
        for device in devices:
            self.assertEqual(device.product_id, self.laptop)
            self.assertEqual(device.model, "Latitude 5450")
            self.assertEqual(device.device_category, "laptop")
            self.assertEqual(device.activity_code_id, self.code_school)
            self.assertEqual(device.reseller_id, self.reseller)
            self.assertEqual(device.purchase_ref, order.name)
            self.assertEqual(device.it_purchase_line_id, order.order_line)
            self.assertEqual(device.it_receipt_picking_id, picking)
            self.assertEqual(device.it_receipt_date, today)
            self.assertEqual(device.lifecycle_state, "in_stock")
            self.assertEqual(device.acquisition_origin, "new")
            self.assertAlmostEqual(device.cost, 11250.0)
            # Warranty 36 months from the receipt.
            self.assertEqual(device.warranty_date, today + relativedelta(months=36))
            self.assertTrue(device.is_owned)
            self.assertEqual(device.it_financing, "bought")
            self.assertEqual(device.company_id, self.company)
            # The device and its Inventory serial point at each other.
            self.assertEqual(device.lot_id.name, device.serial_no)
            self.assertEqual(device.lot_id.equipment_id, device)
        self.assertEqual(order.it_device_count, 3)
        self.assertEqual(picking.it_device_count, 3)
        # Validating again registers nothing more.
        picking._action_done()
        self.assertEqual(len(self._devices(order)), 3)

    def test_backorder(self):
        order = self._create_order(
            [self._line(self.laptop, 3, 10000, self.code_school)]
        )
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: ["BO-1", "BO-2"]})
        self.assertEqual(len(self._devices(order)), 2)
        backorder = order.picking_ids - picking
        self.assertEqual(len(backorder), 1)
        self._receive(backorder, {self.laptop: ["BO-3"]})
        devices = self._devices(order)
        self.assertEqual(devices.mapped("serial_no"), ["BO-1", "BO-2", "BO-3"])
        self.assertEqual(devices[2].it_receipt_picking_id, backorder)
        self.assertEqual(order.order_line.qty_received, 3)

    def test_duplicate_serial_refused(self):
        existing = self.env["maintenance.equipment"].create(
            {"name": "Gammal dator", "serial_no": "dup-7"}
        )
        order = self._create_order(
            [self._line(self.laptop, 2, 10000, self.code_school)]
        )
        picking = self._confirm(order, self.holder_school)
        # Letter case and spaces do not make another serial number.
        self._set_serials(picking, {self.laptop: ["NEW-1", " DUP-7 "]})
        with self.assertRaisesRegex(ValidationError, "DUP-7: device Gammal dator"):
            self._validate(picking)
        # Nothing written: the receipt is not done, no device, no serial.
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(self._devices(order))
        self.assertFalse(
            self.env["stock.lot"].search([("name", "in", ["NEW-1", " DUP-7 "])])
        )
        self.assertEqual(order.order_line.qty_received, 0)
        self.assertTrue(existing.exists())

    def test_return_to_vendor(self):
        order = self._create_order(
            [self._line(self.laptop, 2, 10000, self.code_school)]
        )
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: ["RT-1", "RT-2"]})
        returned = self._devices(order).filtered(lambda d: d.serial_no == "RT-1")
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        return_picking = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        return_picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": return_picking.move_ids.id,
                "picking_id": return_picking.id,
                "product_id": self.laptop.id,
                "product_uom_id": self.laptop.uom_id.id,
                "location_id": return_picking.location_id.id,
                "location_dest_id": return_picking.location_dest_id.id,
                "lot_id": returned.lot_id.id,
                "quantity": 1,
            }
        )
        return_picking.move_ids.picked = True
        self._validate(return_picking)
        self.assertEqual(return_picking.state, "done")
        self.assertEqual(returned.lifecycle_state, "returned")
        self.assertEqual(returned.it_return_picking_id, return_picking)
        self.assertIn(return_picking.name, returned.message_ids[0].body)
        kept = self._devices(order) - returned
        self.assertEqual(kept.lifecycle_state, "in_stock")
        # The vendor sends the same serial back: the same device returns, no
        # duplicate.
        order.order_line.product_qty = 3
        self.assertEqual(
            len(order.picking_ids.filtered(lambda p: p.state == "assigned")), 1
        )
        again = order.picking_ids.filtered(lambda p: p.state == "assigned")
        self._receive(again, {self.laptop: ["RT-1"]})
        self.assertEqual(returned.lifecycle_state, "in_stock")
        self.assertFalse(returned.it_return_picking_id)
        self.assertEqual(returned.it_receipt_picking_id, again)
        self.assertEqual(
            self.env["maintenance.equipment"].search_count(
                [("serial_no", "=", "RT-1")]
            ),
            1,
        )

    def test_cancelled_receipt_registers_nothing(self):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        picking = self._confirm(order, self.holder_school)
        self._set_serials(picking, {self.laptop: ["CX-1"]})
        order.with_user(self.buyer).button_cancel()
        self.assertEqual(picking.state, "cancel")
        self.assertFalse(self._devices(order))

    def test_refurbished_origin(self):
        # From the vendor: a refurbisher sells only refurbished devices.
        order = self._create_order(
            [self._line(self.laptop, 1, 4000, self.code_school)],
            partner=self.refurbisher,
        )
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: ["RF-1"]})
        self.assertEqual(self._devices(order).acquisition_origin, "refurbished")
        # From the product: a refurbished tablet from an ordinary reseller.
        order = self._create_order([self._line(self.tablet, 1, 1500, self.code_school)])
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.tablet: ["RF-2"]})
        self.assertEqual(self._devices(order).acquisition_origin, "refurbished")

    def test_no_receipt_before_approval(self):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).request_validation()
        with self.assertRaises(UserError):
            order.with_user(self.buyer).button_confirm()
        self.assertFalse(order.picking_ids)
