# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ItLeaseCommon

# Monthly rate for 3 % a year, and the present value of an ordinary annuity of
# n monthly payments of 1: a(n) = (1 - (1 + i) ** -n) / i.
MONTHLY_RATE = 0.03 / 12


def annuity(months):
    return (1 - (1 + MONTHLY_RATE) ** -months) / MONTHLY_RATE


@tagged("post_install", "-at_install")
class TestLeaseSchedule(ItLeaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls._create_device("PV-1")

    def _schedule_36_x_500(self, **values):
        schedule = self._create_schedule(
            "S-PV",
            date(2026, 1, 1),
            term_months=36,
            discount_rate=3.0,
            **values,
        )
        self.env["it.lease.line"].create(
            {
                "schedule_id": schedule.id,
                "equipment_id": self.device.id,
                "monthly_rent": 500.0,
            }
        )
        return schedule

    def test_end_date_is_start_plus_term_minus_one_day(self):
        self.assertEqual(
            self._create_schedule("S-E1", date(2026, 1, 1), 36).date_end,
            date(2028, 12, 31),
        )
        self.assertEqual(
            self._create_schedule("S-E2", date(2026, 3, 15), 48).date_end,
            date(2030, 3, 14),
        )
        schedule = self._create_schedule("S-E3", date(2026, 9, 1), 12)
        self.assertEqual(schedule.date_end, date(2027, 8, 31))
        schedule.term_months = 24
        self.assertEqual(schedule.date_end, date(2028, 8, 31))

    def test_line_defaults_to_schedule_period(self):
        schedule = self._schedule_36_x_500()
        self.assertEqual(schedule.line_ids.date_start, date(2026, 1, 1))
        self.assertEqual(schedule.line_ids.date_end, date(2028, 12, 31))

    def test_lines_follow_a_change_of_the_schedule_period(self):
        schedule = self._schedule_36_x_500()
        schedule.write({"date_start": date(2026, 2, 1), "term_months": 24})
        self.assertEqual(schedule.line_ids.date_start, date(2026, 2, 1))
        self.assertEqual(schedule.line_ids.date_end, date(2028, 1, 31))

    def test_present_value_36_x_500_at_3_percent_in_arrears(self):
        schedule = self._schedule_36_x_500(payment_timing="arrears")
        # 500 * (1 - 1.0025 ** -36) / 0.0025 = 17,193.23
        self.assertAlmostEqual(500 * annuity(36), 17193.23, places=2)
        self.assertAlmostEqual(schedule.pv_minimum_lease_payments, 17193.23, places=2)

    def test_present_value_36_x_500_at_3_percent_in_advance(self):
        schedule = self._schedule_36_x_500(payment_timing="advance")
        # Each rent is paid one month earlier: 17,193.23 * 1.0025 = 17,236.22
        self.assertAlmostEqual(schedule.pv_minimum_lease_payments, 17236.22, places=2)

    def test_present_value_without_interest_is_the_sum_of_rents(self):
        schedule = self._schedule_36_x_500()
        schedule.discount_rate = 0.0
        self.assertAlmostEqual(schedule.pv_minimum_lease_payments, 36 * 500.0)

    def test_present_value_of_a_device_joining_a_running_schedule(self):
        schedule = self._create_schedule(
            "S-JOIN",
            date(2026, 1, 1),
            term_months=36,
            discount_rate=3.0,
            payment_timing="arrears",
        )
        self.env["it.lease.line"].create(
            {
                "schedule_id": schedule.id,
                "equipment_id": self.device.id,
                "monthly_rent": 100.0,
                "date_start": date(2026, 7, 1),
            }
        )
        # 30 rents paid at the ends of months 7..36:
        # 100 * (a(36) - a(6)) = 100 * (34.38647 - 5.94779) = 2,843.86
        self.assertAlmostEqual(100 * (annuity(36) - annuity(6)), 2843.86, places=2)
        self.assertAlmostEqual(schedule.pv_minimum_lease_payments, 2843.86, places=2)

    def test_r5_financial_when_pv_exceeds_80_percent_of_fair_value(self):
        # 80 % of 20,000 = 16,000 < 17,193.23
        schedule = self._schedule_36_x_500(payment_timing="arrears", fair_value=20000)
        self.assertEqual(schedule.r5_computed_classification, "financial")
        self.assertEqual(schedule.r5_classification, "financial")

    def test_r5_operational_when_pv_is_at_most_80_percent_of_fair_value(self):
        # 80 % of 25,000 = 20,000 > 17,193.23
        schedule = self._schedule_36_x_500(payment_timing="arrears", fair_value=25000)
        self.assertEqual(schedule.r5_classification, "operational")

    def test_r5_not_classified_without_fair_value(self):
        schedule = self._schedule_36_x_500()
        self.assertFalse(schedule.r5_classification)

    def test_r5_override_requires_a_reason(self):
        schedule = self._schedule_36_x_500(payment_timing="arrears", fair_value=25000)
        with self.assertRaisesRegex(ValidationError, "give a reason"):
            schedule.r5_classification_override = "financial"
        schedule.write(
            {
                "r5_classification_override": "financial",
                "r5_override_reason": "Bargain purchase option at 1 SEK.",
            }
        )
        self.assertEqual(schedule.r5_computed_classification, "operational")
        self.assertEqual(schedule.r5_classification, "financial")
        schedule.r5_classification_override = False
        self.assertEqual(schedule.r5_classification, "operational")

    def test_state_flow(self):
        empty = self._create_schedule("S-EMPTY", date(2026, 1, 1))
        with self.assertRaisesRegex(UserError, "has no lease lines"):
            empty.action_activate()
        schedule = self._schedule_36_x_500()
        schedule.action_activate()
        self.assertEqual(schedule.state, "active")
        self.assertEqual(schedule.line_ids.state, "active")
        with self.assertRaises(UserError):
            schedule.unlink()
        schedule.action_end()
        self.assertEqual(schedule.state, "ended")
        with self.assertRaises(UserError):
            schedule.action_cancel()

    def test_device_shows_its_current_lease(self):
        schedule = self._schedule_36_x_500()
        self.assertEqual(self.device.lease_line_id, schedule.line_ids)
        self.assertEqual(self.device.lessor_id, self.lessor)
        self.assertEqual(self.device.lease_end_date, date(2028, 12, 31))
        schedule.action_cancel()
        self.assertFalse(self.device.lease_line_id)
        self.assertFalse(self.device.lessor_id)

    def test_agreement_lists_its_schedules(self):
        schedule = self._schedule_36_x_500()
        self.assertEqual(self.agreement.schedule_count, 1)
        action = self.agreement.action_view_schedules()
        self.assertEqual(
            self.env["it.lease.schedule"].search(action["domain"]), schedule
        )
