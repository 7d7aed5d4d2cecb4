# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import tagged

from .common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestChargeRule(ItChargeCommon):
    """Rent × days covered ÷ days in the month, rounded per device, charged to
    the activity code valid on each day. Amounts below are worked by hand."""

    def test_full_month_is_charged_the_monthly_rent(self):
        device = self._leased_device("R-FULL", 500.0, self.code_school)
        self.schedule.action_activate()
        run = self._run(date(2026, 3, 1))
        run.action_compute()
        self.assertEqual(self._charged(run, device), {"3200": 500.00})
        self.assertEqual(run.line_ids.days, 31)

    def test_start_on_the_15th_of_a_30_day_month(self):
        # April has 30 days; 15 to 30 April is 16 days: 450 × 16 / 30 = 240.00
        device = self._leased_device(
            "R-START", 450.0, self.code_school, date_start=date(2026, 4, 15)
        )
        self.schedule.action_activate()
        run = self._run(date(2026, 4, 1))
        run.action_compute()
        self.assertEqual(self._charged(run, device), {"3200": 240.00})
        self.assertEqual(run.line_ids.days, 16)
        self.assertEqual(run.line_ids.date_from, date(2026, 4, 15))

    def test_lease_ending_mid_month(self):
        # Lease ends 10 May and the device is returned; May has 31 days:
        # 620 × 10 / 31 = 200.00
        device = self._leased_device(
            "R-END", 620.0, self.code_care, date_end=date(2026, 5, 10)
        )
        device.lease_line_id._decide_return()
        device.lease_line_id._register_return(date(2026, 5, 6))
        self.schedule.action_activate()
        run = self._run(date(2026, 5, 1))
        run.action_compute()
        self.assertEqual(self._charged(run, device), {"4100": 200.00})
        self.assertEqual(run.line_ids.days, 10)

    def test_undecided_device_is_charged_after_its_end(self):
        # Nobody decided: the lessor keeps billing, so May is charged in full
        # (620.00) and June too, until a decision is taken.
        device = self._leased_device(
            "R-UNDECIDED", 620.0, self.code_care, date_end=date(2026, 5, 10)
        )
        self.schedule.action_activate()
        may = self._run(date(2026, 5, 1))
        may.action_compute()
        self.assertEqual(self._charged(may, device), {"4100": 620.00})
        june = self._run(date(2026, 6, 1))
        june.action_compute()
        self.assertEqual(self._charged(june, device), {"4100": 620.00})
        self.assertTrue(device.lease_line_id.is_overdue)

    def test_february_of_a_leap_year(self):
        # February 2028 has 29 days; 10 to 29 February is 20 days:
        # 290 × 20 / 29 = 200.00 (it would be 290 × 20 / 28 = 207.14 in 2027)
        schedule = self._create_schedule("CH-LEAP", date(2028, 2, 10), 36)
        device = self._leased_device("R-LEAP", 290.0, self.code_school, schedule)
        schedule.action_activate()
        run = self._run(date(2028, 2, 1))
        run.action_compute()
        self.assertEqual(self._charged(run, device), {"3200": 200.00})

    def test_odd_rent_is_rounded_half_up_per_device(self):
        # 333.33 × 10 / 31 = 107.5258... → 107.53
        first = self._leased_device(
            "R-ODD-1", 333.33, self.code_school, date_start=date(2026, 3, 22)
        )
        # 10.05 × 15 / 30 = 5.025 exactly → 5.03 (half up, not to even)
        second = self._leased_device(
            "R-ODD-2", 10.05, self.code_school, date_start=date(2026, 4, 16)
        )
        self.schedule.action_activate()
        march = self._run(date(2026, 3, 1))
        march.action_compute()
        self.assertEqual(self._charged(march, first), {"3200": 107.53})
        april = self._run(date(2026, 4, 1))
        april.action_compute()
        self.assertEqual(self._charged(april, second), {"3200": 5.03})

    def test_code_changed_mid_month_is_charged_in_two_parts(self):
        # March: 1-15 on 3200, 16-31 on 4100. 310 × 15 / 31 = 150.00 and
        # 310 × 16 / 31 = 160.00, together the full rent.
        device = self._leased_device("R-SPLIT", 310.0, self.code_school)
        device.with_context(
            activity_code_effective_date=date(2026, 3, 16)
        ).activity_code_id = self.code_care
        self.schedule.action_activate()
        run = self._run(date(2026, 3, 1))
        run.action_compute()
        self.assertEqual(self._charged(run, device), {"3200": 150.00, "4100": 160.00})

    def test_parts_of_a_month_add_up_to_the_rounded_whole(self):
        # March (31 days) on three codes: 1 day, 1 day, 29 days of 100.00.
        # Rounded apart: 3.23 + 3.23 + 93.55 = 100.01. Rounded cumulatively
        # (3.23; 6.45 - 3.23 = 3.22; 100.00 - 6.45 = 93.55) the month is 100.00.
        device = self._leased_device("R-CUM", 100.0, self.code_school)
        device.with_context(
            activity_code_effective_date=date(2026, 3, 2)
        ).activity_code_id = self.code_care
        device.with_context(
            activity_code_effective_date=date(2026, 3, 3)
        ).activity_code_id = self.code_it_unit
        self.schedule.action_activate()
        run = self._run(date(2026, 3, 1))
        run.action_compute()
        charged = self._charged(run, device)
        self.assertEqual(charged, {"3200": 3.23, "4100": 3.22, "9100": 93.55})
        self.assertAlmostEqual(sum(charged.values()), 100.00)

    def test_december_keeps_its_code_after_a_january_change(self):
        # The plan changes on 1 January; December, charged in January, is
        # still charged on the old code, January on the new one.
        device = self._leased_device("R-YEAR", 400.0, self.code_school)
        device.with_context(
            activity_code_effective_date=date(2027, 1, 1)
        ).activity_code_id = self.code_care
        self.schedule.action_activate()
        december = self._run(date(2026, 12, 1))
        december.action_compute()
        self.assertEqual(self._charged(december, device), {"3200": 400.00})
        january = self._run(date(2027, 1, 1))
        january.action_compute()
        self.assertEqual(self._charged(january, device), {"4100": 400.00})

    def test_only_active_and_ended_schedules_are_charged(self):
        active = self._leased_device("R-ACT", 100.0, self.code_school)
        draft_schedule = self._create_schedule("CH-DRAFT", date(2026, 1, 1))
        self._leased_device("R-DRAFT", 100.0, self.code_school, draft_schedule)
        cancelled_schedule = self._create_schedule("CH-CANC", date(2026, 1, 1))
        self._leased_device("R-CANC", 100.0, self.code_school, cancelled_schedule)
        cancelled_schedule.action_cancel()
        self.schedule.action_activate()
        run = self._run(date(2026, 3, 1))
        run.action_compute()
        self.assertEqual(run.line_ids.equipment_id, active)
        self.schedule.action_end()
        run.action_compute()
        self.assertEqual(run.line_ids.equipment_id, active)

    def test_device_without_code_is_listed(self):
        self._leased_device("R-NOCODE", 100.0)
        self.schedule.action_activate()
        run = self._run(date(2026, 3, 1))
        run.action_compute()
        self.assertEqual(run.missing_code_count, 1)
        self.assertFalse(run.line_ids.activity_code_id)
        self.assertEqual(run.line_ids.amount, 100.0)
