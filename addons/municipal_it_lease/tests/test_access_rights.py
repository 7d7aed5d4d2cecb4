# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ItLeaseCommon


@tagged("post_install", "-at_install")
class TestAccessRights(ItLeaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.schedule = cls._create_schedule("ACL-1", date(2026, 1, 1))
        cls.employee_user = new_test_user(
            cls.env, login="plain_employee", groups="base.group_user"
        )

    def test_it_user_keeps_the_register(self):
        Equipment = self.env["maintenance.equipment"].with_user(self.it_user)
        device = Equipment.create(
            {
                "name": "Laptop of the IT user",
                "serial_no": "ACL-U-1",
                "activity_code_id": self.code_school.id,
                "lifecycle_state": "in_use",
            }
        )
        device.os_version = "Windows 11 24H2"
        self.env["it.asset.site"].with_user(self.it_user).create({"name": "Skolan"})
        self.assertEqual(Equipment.search([("serial_no", "=", "ACL-U-1")]), device)

    def test_it_user_reads_but_does_not_change_leases(self):
        schedule = self.schedule.with_user(self.it_user)
        self.assertEqual(schedule.name, "ACL-1")
        with self.assertRaises(AccessError):
            schedule.name = "Changed"
        with self.assertRaises(AccessError):
            self.env["it.lease.schedule"].with_user(self.it_user).create(
                {
                    "name": "ACL-2",
                    "agreement_id": self.agreement.id,
                    "date_start": date(2026, 1, 1),
                }
            )
        device = self._create_device("ACL-U-2")
        with self.assertRaises(AccessError):
            self.env["it.lease.line"].with_user(self.it_user).create(
                {
                    "schedule_id": self.schedule.id,
                    "equipment_id": device.id,
                    "monthly_rent": 1.0,
                }
            )

    def test_it_manager_manages_leases(self):
        agreement = (
            self.env["it.lease.agreement"]
            .with_user(self.it_manager)
            .create({"name": "MA-MGR", "lessor_id": self.lessor.id})
        )
        schedule = (
            self.env["it.lease.schedule"]
            .with_user(self.it_manager)
            .create(
                {
                    "name": "MGR-1",
                    "agreement_id": agreement.id,
                    "date_start": date(2026, 1, 1),
                }
            )
        )
        device = self._create_device("ACL-M-1")
        schedule.write(
            {"line_ids": [(0, 0, {"equipment_id": device.id, "monthly_rent": 400.0})]}
        )
        schedule.action_activate()
        self.assertEqual(device.lessor_id, self.lessor)

    def test_plain_employee_cannot_register_devices_nor_see_leases(self):
        with self.assertRaises(AccessError):
            self.env["maintenance.equipment"].with_user(self.employee_user).create(
                {"name": "Not allowed", "serial_no": "ACL-E-1"}
            )
        with self.assertRaises(AccessError):
            self.env["it.lease.schedule"].with_user(self.employee_user).search([])

    def test_device_of_another_company_is_invisible(self):
        company_b = self.env["res.company"].create({"name": "Kommun B"})
        device_b = self._create_device("ACL-B-1", company_id=company_b.id)
        agreement_b = self.env["it.lease.agreement"].create(
            {"name": "MA-B", "lessor_id": self.lessor.id, "company_id": company_b.id}
        )
        schedule_b = self.env["it.lease.schedule"].create(
            {
                "name": "B-1",
                "agreement_id": agreement_b.id,
                "date_start": date(2026, 1, 1),
                "company_id": company_b.id,
            }
        )
        user_a = new_test_user(
            self.env,
            login="it_user_company_a",
            groups="municipal_it_lease.municipal_it_lease_group_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        Equipment = self.env["maintenance.equipment"].with_user(user_a)
        self.assertFalse(Equipment.search([("serial_no", "=", "ACL-B-1")]))
        with self.assertRaises(AccessError):
            Equipment.browse(device_b.id).read(["name"])
        self.assertFalse(
            self.env["it.lease.schedule"]
            .with_user(user_a)
            .search([("name", "=", "B-1")])
        )
        with self.assertRaises(AccessError):
            schedule_b.with_user(user_a).read(["name"])
