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
        # Contracts whose rent ends on the end date: a line is leased from its
        # start to its end, nothing after.
        cls.schedule_2026 = cls._create_schedule(
            "Annex 2026", date(2026, 1, 1), 36, rent_continues=False
        )
        cls.schedule_2028 = cls._create_schedule(
            "Annex 2028", date(2028, 6, 1), 36, rent_continues=False
        )

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
        with self.assertRefused(
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

    def test_a_device_running_on_cannot_be_leased_again_until_returned(self):
        # The usual term: the rent continues after the end date until the
        # lessor takes the device back, so a second lease of the same device
        # would charge the same days twice.
        self.schedule_2026.rent_continues = True
        first = self._line(self.schedule_2026, date_end=date(2028, 5, 31))
        self.assertFalse(first.date_charged_until)
        with self.assertRefused(
            ValidationError, "after its end date .* until it is returned"
        ):
            self._line(self.schedule_2028)
        first._decide_return()
        with self.assertRefused(ValidationError, "overlaps"):
            self._line(self.schedule_2028)
        # Taken back on 20 May 2028, before its end: charged to the end date.
        first._register_return(date(2028, 5, 20))
        self.assertEqual(first.date_charged_until, date(2028, 5, 31))
        second = self._line(self.schedule_2028)
        self.assertEqual(self.device.lease_line_ids, first | second)

    def test_overlap_refused_when_dates_are_moved(self):
        self._line(self.schedule_2026, date_end=date(2028, 5, 31))
        self._line(self.schedule_2028)
        first = self.schedule_2026.line_ids
        with self.assertRefused(ValidationError, "overlaps"):
            first.date_end = date(2028, 6, 1)
        # A rent change defers the check until both its halves are written,
        # under sudo only: a request's context key alone defers nothing.
        forged = first.with_user(self.it_manager).with_context(
            it_lease_rent_change=True
        )
        with self.assertRefused(ValidationError, "overlaps"):
            forged.date_end = date(2028, 6, 1)
        # Under sudo, another step reached with the key still has its lines
        # checked before the transaction commits.
        with self.assertRefused(ValidationError, "overlaps"):
            first.sudo().with_context(it_lease_rent_change=True).date_end = date(
                2028, 6, 1
            )
            self.assertEqual(first.date_end, date(2028, 6, 1))
            self.env.cr.flush()

    def test_cancelled_schedule_does_not_block_and_cannot_come_back(self):
        self._line(self.schedule_2026)
        self.schedule_2026.action_cancel()
        self._line(self.schedule_2028)
        with self.assertRefused(ValidationError, "overlaps"):
            self.schedule_2026.action_draft()

    def test_line_cannot_start_before_its_schedule(self):
        with self.assertRefused(ValidationError, "before its schedule Annex 2028"):
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
