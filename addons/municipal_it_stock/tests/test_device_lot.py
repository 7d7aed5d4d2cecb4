# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.municipal_it_lease.tests.common import ItLeaseCommon


@tagged("post_install", "-at_install")
class TestDeviceLot(ItLeaseCommon):
    """A device of the register and its serial number (lot) in Inventory, as
    a warehouse clerk who also keeps the register sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._tracked_product("Laptop 14", cls.company)
        # Created by the administrator: a company created by a user is added
        # to that user's companies.
        cls.company_b = cls.env["res.company"].create({"name": "Kommun B"})
        cls.product_b = cls._tracked_product("Laptop 14 (B)", cls.company_b)
        cls.clerk = new_test_user(
            cls.env,
            login="it_stock_clerk",
            groups="municipal_it_lease.municipal_it_lease_group_user,"
            "stock.group_stock_user,stock.group_production_lot",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.env = cls.env(user=cls.clerk)
        cls.Device = cls.env["maintenance.equipment"]
        cls.Lot = cls.env["stock.lot"]

    @classmethod
    def _tracked_product(cls, name, company):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "company_id": company.id,
            }
        )

    def _lot(self, name, product=None):
        return self.Lot.create(
            {"name": name, "product_id": (product or self.product).id}
        )

    def test_device_and_lot_find_each_other(self):
        lot = self._lot("PF-3K7Q1")
        device = self.Device.create(
            {"name": "Laptop PF-3K7Q1", "serial_no": "PF-3K7Q1", "lot_id": lot.id}
        )
        self.assertEqual(device.lot_id, lot)
        self.assertEqual(lot.equipment_ids, device)
        self.assertEqual(lot.equipment_id, device)
        # The lot's smart button opens this device's form, and only it.
        action = lot.action_open_equipment()
        self.assertEqual(action["res_model"], "maintenance.equipment")
        self.assertEqual(action["res_id"], device.id)
        self.assertEqual(action["view_mode"], "form")
        # A lot without a device has none to show.
        other = self._lot("PF-3K7Q2")
        self.assertFalse(other.equipment_ids)
        self.assertFalse(other.equipment_id)

    def test_lot_follows_a_device_that_moves_to_another_lot(self):
        first, second = self._lot("PF-A1"), self._lot("PF-A2")
        device = self.Device.create(
            {"name": "Laptop PF-A1", "serial_no": "PF-A1", "lot_id": first.id}
        )
        device.lot_id = second
        self.assertFalse(first.equipment_id)
        self.assertEqual(second.equipment_id, device)

    def test_a_lot_belongs_to_one_device_only(self):
        lot = self._lot("PF-DUP1")
        self.Device.create(
            {"name": "Laptop 1", "serial_no": "PF-DUP1", "lot_id": lot.id}
        )
        other = self.Device.create({"name": "Laptop 2", "serial_no": "PF-DUP2"})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            other.lot_id = lot
            other.flush_recordset(["lot_id"])

    def test_a_copied_device_does_not_take_the_lot(self):
        lot = self._lot("PF-CP1")
        device = self.Device.create(
            {"name": "Laptop PF-CP1", "serial_no": "PF-CP1", "lot_id": lot.id}
        )
        copy = device.copy({"serial_no": "PF-CP2"})
        self.assertFalse(copy.lot_id)
        self.assertEqual(lot.equipment_ids, device)

    def test_a_lot_with_a_device_cannot_be_deleted(self):
        lot = self._lot("PF-DEL1")
        device = self.Device.create(
            {"name": "Laptop PF-DEL1", "serial_no": "PF-DEL1", "lot_id": lot.id}
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            lot.sudo().unlink()
            self.env.flush_all()
        self.assertTrue(lot.exists())
        self.assertEqual(device.lot_id, lot)
        # Once the device lets go of it, the lot can go.
        device.lot_id = False
        lot.sudo().unlink()
        self.assertFalse(lot.exists())

    def test_search_devices_by_their_lot_and_lots_by_their_device(self):
        lot_1, lot_2 = self._lot("PF-S1"), self._lot("PF-S2")
        self._lot("PF-S3")
        device_1 = self.Device.create(
            {"name": "Laptop PF-S1", "serial_no": "PF-S1", "lot_id": lot_1.id}
        )
        device_2 = self.Device.create(
            {"name": "Laptop PF-S2", "serial_no": "PF-S2", "lot_id": lot_2.id}
        )
        self.Device.create({"name": "Laptop PF-S4", "serial_no": "PF-S4"})
        self.assertEqual(self.Device.search([("lot_id.name", "=", "PF-S2")]), device_2)
        self.assertEqual(
            self.Device.search([("lot_id", "in", (lot_1 | lot_2).ids)]),
            device_1 | device_2,
        )
        # The serial as a scanner or a person types it finds the device, and
        # through it the lot: letter case and spaces do not count.
        found = self.Device.search([("serial_lookup", "=", " pf-s1 ")])
        self.assertEqual(found, device_1)
        self.assertEqual(found.lot_id, lot_1)
        self.assertEqual(
            self.Lot.search([("equipment_ids", "!=", False), ("name", "like", "PF-S")]),
            lot_1 | lot_2,
        )

    def test_device_form_shows_the_lot_to_lot_users_only(self):
        lot = self._lot("PF-F1")
        with Form(self.Device) as form:
            form.name = "Laptop PF-F1"
            form.serial_no = "PF-F1"
            form.lot_id = lot
        self.assertEqual(form.record.lot_id, lot)
        # Without Inventory's lots and serial numbers group the field is
        # not on the form at all.
        register_only = new_test_user(
            self.env(su=True),
            login="it_register_only",
            groups="municipal_it_lease.municipal_it_lease_group_user",
        )
        views = self.env(user=register_only)["maintenance.equipment"].get_views(
            [(False, "form")]
        )
        self.assertNotIn('name="lot_id"', views["views"]["form"]["arch"])
        # The lot user's form has it.
        views = self.Device.get_views([(False, "form")])
        self.assertIn('name="lot_id"', views["views"]["form"]["arch"])

    def test_lot_of_another_municipality_is_refused(self):
        lot_b = (
            self.env(su=True)["stock.lot"]
            .with_company(self.company_b)
            .create({"name": "PF-B1", "product_id": self.product_b.id})
        )
        self.assertEqual(lot_b.company_id, self.company_b)
        # The clerk of municipality A neither reads B's lot ...
        with self.assertRaises(AccessError):
            self.Lot.browse(lot_b.id).read(["name"])
        # ... nor links it to one of A's devices, even by id over RPC.
        device = self.Device.create({"name": "Laptop PF-A9", "serial_no": "PF-A9"})
        with self.assertRefused(UserError, "Incompatible companies"):
            device.write({"lot_id": lot_b.id})
        self.assertFalse(device.lot_id)
        # Even the administrator cannot join a device of A to a lot of B.
        with self.assertRefused(UserError, "Incompatible companies"):
            device.sudo().write({"lot_id": lot_b.id})
        self.assertFalse(device.lot_id)

    def test_device_of_another_municipality_stays_hidden_behind_its_lot(self):
        company_b = self.company_b
        both = new_test_user(
            self.env(su=True),
            login="it_stock_clerk_ab",
            groups="municipal_it_lease.municipal_it_lease_group_user,"
            "stock.group_stock_user,stock.group_production_lot",
            company_id=company_b.id,
            company_ids=[(6, 0, (self.company | company_b).ids)],
        )
        env_b = self.env(user=both, context={"allowed_company_ids": [company_b.id]})
        lot_b = env_b["stock.lot"].create(
            {"name": "PF-B2", "product_id": self.product_b.id}
        )
        device_b = env_b["maintenance.equipment"].create(
            {
                "name": "Tablet PF-B2",
                "serial_no": "PF-B2",
                "company_id": company_b.id,
                "lot_id": lot_b.id,
            }
        )
        # The clerk of both municipalities sees the link from B ...
        self.assertEqual(env_b["stock.lot"].browse(lot_b.id).equipment_id, device_b)
        # ... the clerk of A finds neither the device by its serial nor by
        # its lot.
        self.assertFalse(self.Device.search([("serial_lookup", "=", "PF-B2")]))
        self.assertFalse(self.Device.search([("lot_id.name", "=", "PF-B2")]))
        self.assertFalse(self.Lot.search([("name", "=", "PF-B2")]))

    def test_warehouse_clerk_without_the_register_opens_a_lot(self):
        lot = self._lot("PF-W1")
        device = self.Device.create(
            {"name": "Laptop PF-W1", "serial_no": "PF-W1", "lot_id": lot.id}
        )
        warehouse = new_test_user(
            self.env(su=True),
            login="warehouse_only",
            groups="stock.group_stock_user,stock.group_production_lot",
        )
        Lot = self.env(user=warehouse)["stock.lot"]
        # The lot form opens: its device button is for register users only,
        # and reading the lot (as the form does) is not refused.
        arch = Lot.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="action_open_equipment"', arch)
        data = Lot.browse(lot.id).web_read({"name": {}, "equipment_ids": {}})
        self.assertEqual(data[0]["name"], "PF-W1")
        # The register stays closed to the warehouse: the device is not shown.
        self.assertEqual(data[0]["equipment_ids"], [])
        # The register user (another request) sees the button and the device.
        self.env.invalidate_all()
        arch = self.Lot.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_open_equipment"', arch)
        self.assertEqual(
            self.Lot.browse(lot.id).web_read({"equipment_ids": {}})[0]["equipment_ids"],
            [device.id],
        )
