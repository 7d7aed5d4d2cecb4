# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestLeaseEndWarnings(ItChargeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.it_lease_warning_days = "120,90,30"
        cls.it_manager.email = "it.manager@kommun.example"
        # 1 July 2024 + 36 months - 1 day = 30 June 2027; notice 90 days:
        # notice deadline 30 June 2027 - 90 days = 1 April 2027. Warnings at
        # 1 April - 120 days = 2 December 2026, - 90 days = 1 January 2027,
        # - 30 days = 2 March 2027.
        cls.annex = cls._create_schedule(
            "WARN-1",
            date(2024, 7, 1),
            36,
            notice_period_days=90,
            user_id=cls.it_manager.id,
        )
        cls._leased_device("W-1", 300.0, cls.code_school, cls.annex)
        cls._leased_device("W-2", 300.0, cls.code_school, cls.annex)
        cls.annex.action_activate()

    def _warn(self):
        return self.env["it.lease.schedule"]._cron_lease_end_warnings()

    def _activities(self):
        return self.annex.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("municipal_it_lease.mail_activity_type_lease_end")
            )
        )

    def _digests(self):
        """The digests to the schedule's manager: one per manager a day."""
        return self.env["mail.mail"].search(
            [
                ("subject", "like", "Lease end:"),
                ("recipient_ids", "in", self.it_manager.partner_id.ids),
            ]
        )

    def test_notice_deadline_is_end_minus_notice_period(self):
        self.assertEqual(self.annex.date_end, date(2027, 6, 30))
        self.assertEqual(self.annex.notice_date, date(2027, 4, 1))

    def test_warned_at_each_lead_time_once(self):
        with freeze_time("2026-12-01"):
            self.assertFalse(self._warn())
        with freeze_time("2026-12-02"):
            warnings = self._warn()
            self.assertEqual(warnings.mapped("lead_days"), [120])
            self.assertEqual(len(self._activities()), 1)
            self.assertEqual(self._activities().user_id, self.it_manager)
            self.assertEqual(self._activities().date_deadline, date(2027, 4, 1))
            self.assertEqual(len(self._digests()), 1)
            self.assertIn("WARN-1", self._digests().body_html)
            self.assertIn(self.it_manager.partner_id, self._digests().recipient_ids)
            # The same day again: nothing new.
            self.assertFalse(self._warn())
            self.assertEqual(len(self._activities()), 1)
            self.assertEqual(len(self._digests()), 1)
        with freeze_time("2026-12-31"):
            self.assertFalse(self._warn())
        with freeze_time("2027-01-01"):
            self.assertEqual(self._warn().mapped("lead_days"), [90])
        with freeze_time("2027-03-02"):
            self.assertEqual(self._warn().mapped("lead_days"), [30])
        self.assertEqual(len(self._activities()), 3)
        self.assertEqual(len(self._digests()), 3)

    @freeze_time("2027-03-05")
    def test_schedule_first_seen_late_gets_the_most_urgent_warning_only(self):
        # 27 days before the deadline: all three lead times have passed.
        warnings = self._warn()
        self.assertEqual(sorted(warnings.mapped("lead_days")), [30, 90, 120])
        self.assertEqual(len(self._activities()), 1)
        self.assertEqual(warnings.filtered("activity_id").lead_days, 30)

    @freeze_time("2026-12-02")
    def test_one_activity_per_schedule_not_per_device_and_one_digest_a_manager(self):
        other = self._create_schedule(
            "WARN-2", date(2024, 7, 1), 36, notice_period_days=90
        )
        self._leased_device("W-3", 300.0, self.code_school, other)
        other.action_activate()
        self._warn()
        self.assertEqual(len(self._activities()), 1)
        self.assertEqual(len(other.activity_ids), 1)
        self.assertEqual(len(self._digests()), 1)
        self.assertIn("WARN-2", self._digests().body_html)

    @freeze_time("2026-12-02")
    def test_decided_schedule_is_not_warned(self):
        self.annex.line_ids._decide_return()
        self.assertFalse(self._warn())

    def test_schedule_ended_undecided_is_flagged(self):
        with freeze_time("2027-07-01"):
            self.assertTrue(self.annex.is_overdue)
            found = self.env["it.lease.schedule"].search([("is_overdue", "=", True)])
            self.assertIn(self.annex, found)
            self.annex.line_ids[0]._decide_return()
            self.assertTrue(self.annex.is_overdue)
            self.assertEqual(self.annex.decision_state, "partial")
            self.annex.line_ids[1]._decide_return()
            self.assertFalse(self.annex.is_overdue)
            self.assertNotIn(
                self.annex,
                self.env["it.lease.schedule"].search([("is_overdue", "=", True)]),
            )
