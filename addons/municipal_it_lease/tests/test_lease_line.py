# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ItLeaseCommon


@tagged("post_install", "-at_install")
class TestLeaseLine(ItLeaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls._create_device("OV-1", name="Laptop OV-1")
        cls.schedule_2026 = cls._create_schedule("Annex 2026", date(2026, 1, 1), 36)
        cls.schedule_2028 = cls._create_schedule("Annex 2028", date(2028, 6, 1), 36)

    def _line(self, schedule, **values):
        return self.env["it.lease.line"].create(
            {
                "schedule_id": schedule.id,
                "equipment_id": self.device.id,
                "monthly_rent": 300.0,
                **values,
            }
        )

    def test_overlap_refused_naming_both_schedules(self):
        self._line(self.schedule_2026)
        with self.assertRaisesRegex(
            ValidationError,
            r"Laptop OV-1.*already leased on schedule Annex 2026.*"
            r"overlaps its line on schedule Annex 2028",
        ):
            self._line(self.schedule_2028)

    def test_consecutive_lines_accepted(self):
        first = self._line(self.schedule_2026, date_end=date(2028, 5, 31))
        second = self._line(self.schedule_2028)
        self.assertEqual(self.device.lease_line_ids, first | second)
        # The latest line is the device's current lease.
        self.assertEqual(self.device.lease_line_id, second)

    def test_overlap_refused_when_dates_are_moved(self):
        self._line(self.schedule_2026, date_end=date(2028, 5, 31))
        self._line(self.schedule_2028)
        first = self.schedule_2026.line_ids
        with self.assertRaisesRegex(ValidationError, "overlaps"):
            first.date_end = date(2028, 6, 1)

    def test_cancelled_schedule_does_not_block_and_cannot_come_back(self):
        self._line(self.schedule_2026)
        self.schedule_2026.action_cancel()
        self._line(self.schedule_2028)
        with self.assertRaisesRegex(ValidationError, "overlaps"):
            self.schedule_2026.action_draft()

    def test_line_cannot_start_before_its_schedule(self):
        with self.assertRaisesRegex(ValidationError, "before its schedule Annex 2028"):
            self._line(self.schedule_2028, date_start=date(2028, 5, 1))

    def test_device_joins_running_schedule(self):
        line = self._line(self.schedule_2026, date_start=date(2027, 3, 1))
        self.assertEqual(line.date_start, date(2027, 3, 1))
        self.assertEqual(line.date_end, date(2028, 12, 31))

    def test_lines_of_many_devices_created_in_one_batch(self):
        devices = self.env["maintenance.equipment"].create(
            [{"name": f"Batch {n}", "serial_no": f"BATCH-{n}"} for n in range(50)]
        )
        lines = self.env["it.lease.line"].create(
            [
                {
                    "schedule_id": self.schedule_2026.id,
                    "equipment_id": device.id,
                    "monthly_rent": 250.0,
                }
                for device in devices
            ]
        )
        self.assertEqual(len(lines), 50)
        self.assertEqual(self.schedule_2026.monthly_rent_total, 50 * 250.0)
