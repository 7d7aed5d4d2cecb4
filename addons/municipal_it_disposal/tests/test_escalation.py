# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestEscalation(DisposalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch = cls._batch()
        cls.batch.user_id = cls.it_user
        cls.batch.action_seal()
        # Picked up 2 March: receipt due by 2 + 10 = 12 March, escalated to
        # the IT manager after 12 + 10 = 22 March.
        cls._collect(cls.batch, pickup=date(2026, 3, 2))
        cls.overdue_type = cls.env.ref(
            "municipal_it_disposal.mail_activity_type_receipt_overdue"
        )

    def _run_cron(self, day):
        with freeze_time(day):
            self.env["it.disposal.batch"]._cron_escalate_overdue_receipts()
        return self.batch.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.overdue_type
        )

    def test_deadlines(self):
        self.assertEqual(self.batch.receipt_deadline, date(2026, 3, 12))
        self.assertEqual(self.batch.escalation_deadline, date(2026, 3, 22))

    def test_escalation_at_each_deadline_once(self):
        self.assertFalse(self._run_cron("2026-03-12"))
        with freeze_time("2026-03-12"):
            self.assertFalse(self.batch.is_overdue)
        activities = self._run_cron("2026-03-13")
        self.assertEqual(activities.user_id, self.it_user)
        self.assertIn("RA-1, RA-2, RA-3", str(activities.note))
        with freeze_time("2026-03-13"):
            self.assertTrue(self.batch.is_overdue)
            self.assertIn(
                self.batch,
                self.env["it.disposal.batch"].search([("is_overdue", "=", True)]),
            )
        self.assertEqual(self._run_cron("2026-03-13"), activities)
        self.assertEqual(self._run_cron("2026-03-22"), activities)
        escalated = self._run_cron("2026-03-23") - activities
        self.assertEqual(escalated.user_id, self.it_boss)
        self.assertEqual(len(self._run_cron("2026-03-30")), 2)

    def test_lists_only_serials_not_yet_confirmed(self):
        self.batch._confirm_receipt("RA-1", date(2026, 3, 5), "", "", "")
        activity = self._run_cron("2026-03-13")
        self.assertIn("RA-2, RA-3", str(activity.note))
        self.assertNotIn("RA-1", str(activity.note))

    def test_nothing_when_everything_confirmed(self):
        self.batch._confirm_receipt("RA-1 RA-2 RA-3", date(2026, 3, 5), "", "", "")
        self.assertFalse(self._run_cron("2026-03-25"))
