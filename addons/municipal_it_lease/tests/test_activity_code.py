# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ItLeaseCommon


@tagged("post_install", "-at_install")
class TestActivityCode(ItLeaseCommon):
    def test_in_use_without_activity_code_refused(self):
        with self.assertRaisesRegex(ValidationError, "in use but has no activity code"):
            self._create_device("U-1", lifecycle_state="in_use")

    def test_put_in_use_without_activity_code_refused(self):
        device = self._create_device("U-2")
        self.assertEqual(device.lifecycle_state, "in_stock")
        with self.assertRaisesRegex(ValidationError, "in use but has no activity code"):
            device.lifecycle_state = "in_use"

    def test_clearing_code_of_device_in_use_refused(self):
        device = self._create_device(
            "U-3", lifecycle_state="in_use", activity_code_id=self.code_school.id
        )
        with self.assertRaisesRegex(ValidationError, "in use but has no activity code"):
            device.activity_code_id = False

    def test_in_use_with_activity_code_accepted(self):
        device = self._create_device(
            "U-4", lifecycle_state="in_use", activity_code_id=self.code_care.id
        )
        self.assertEqual(device.activity_code_id.code, "4100")

    def test_analytic_account_of_another_plan_refused(self):
        other_plan = self.env["account.analytic.plan"].create({"name": "Projekt"})
        project = self.env["account.analytic.account"].create(
            {"name": "Fiber", "code": "P-7", "plan_id": other_plan.id}
        )
        with self.assertRaisesRegex(ValidationError, "is not an activity code"):
            self._create_device("U-5", activity_code_id=project.id)

    def test_sub_plan_account_accepted(self):
        sub_plan = self.env["account.analytic.plan"].create(
            {"name": "Skolor", "parent_id": self.plan.id}
        )
        code = self.env["account.analytic.account"].create(
            {"name": "Vikskolan", "code": "3210", "plan_id": sub_plan.id}
        )
        device = self._create_device("U-6", activity_code_id=code.id)
        self.assertEqual(device.activity_code_id, code)

    def test_device_count_on_activity_code(self):
        self._create_device("C-1", activity_code_id=self.code_school.id)
        self._create_device("C-2", activity_code_id=self.code_school.id)
        self.assertEqual(self.code_school.it_equipment_count, 2)
        action = self.code_school.action_view_it_equipment()
        self.assertEqual(
            self.env["maintenance.equipment"].search_count(action["domain"]), 2
        )

    def test_history_of_devices_created_together_with_several_codes(self):
        """Devices created in one call (an import's batch) with different
        codes each start their own code, with no start date; a later change
        of some of them on 1 March closes their periods on 28 February."""
        school, care, none = self.env["maintenance.equipment"].create(
            [
                {
                    "name": "H-1",
                    "serial_no": "H-1",
                    "activity_code_id": self.code_school.id,
                },
                {
                    "name": "H-2",
                    "serial_no": "H-2",
                    "activity_code_id": self.code_care.id,
                },
                {"name": "H-3", "serial_no": "H-3"},
            ]
        )
        periods = (school | care | none).activity_code_history_ids
        self.assertEqual(
            sorted(
                (p.equipment_id.name, p.activity_code_id.code, p.date_from, p.date_to)
                for p in periods
            ),
            [("H-1", "3200", False, False), ("H-2", "4100", False, False)],
        )
        (school | care).with_context(
            activity_code_effective_date="2027-03-01"
        ).activity_code_id = self.code_care
        periods = (school | care).activity_code_history_ids
        self.assertEqual(
            sorted(
                (
                    p.equipment_id.name,
                    p.activity_code_id.code,
                    str(p.date_from or ""),
                    str(p.date_to or ""),
                )
                for p in periods
            ),
            [
                ("H-1", "3200", "", "2027-02-28"),
                ("H-1", "4100", "2027-03-01", ""),
                ("H-2", "4100", "", "2027-02-28"),
                ("H-2", "4100", "2027-03-01", ""),
            ],
        )
