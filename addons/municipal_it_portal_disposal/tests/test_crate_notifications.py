# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CratePortalCommon


@tagged("post_install", "-at_install")
class TestCrateNotifications(CratePortalCommon):
    def _mails(self, batch, subject):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "it.disposal.batch"),
                ("res_id", "=", batch.id),
                ("subject", "ilike", subject),
            ]
        )

    def test_collected_mail_to_lessor_only(self):
        mails = self._mails(self.batch, "collected")
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.portal.partner_id)
        self.assertEqual(mails.state, "outgoing", "sent through the mail queue")
        self.assertIn("RA-1", self.batch.line_ids.mapped("serial_no"))
        self.assertIn("/my/leasing/crates/", mails.body_html)

    def test_receipt_deadline_reminder_once(self):
        # Pickup 2026-03-02 + 10 receipt days = deadline 2026-03-12; the
        # reminder goes 3 days before, i.e. from 2026-03-09.
        self.assertEqual(self.batch.receipt_deadline, date(2026, 3, 12))
        Batch = self.env["it.disposal.batch"]
        with freeze_time("2026-03-08"):
            Batch._cron_it_portal_receipt_reminders()
        self.assertFalse(self._mails(self.batch, "deadline"))
        with freeze_time("2026-03-09"):
            Batch._cron_it_portal_receipt_reminders()
            Batch._cron_it_portal_receipt_reminders()
        mails = self._mails(self.batch, "deadline")
        self.assertEqual(len(mails), 1, "one reminder per deadline")
        self.assertIn("RA-3", mails.body_html)
        # Every serial confirmed: no reminder for the next crate run.
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1 RA-2 RA-3", "S-1001, S-1002"
        )
        self.batch.sudo().it_portal_reminded_deadline = False
        with freeze_time("2026-03-10"):
            Batch._cron_it_portal_receipt_reminders()
        self.assertEqual(len(self._mails(self.batch, "deadline")), 1)

    def test_reminded_deadline_set_only_by_the_reminder(self):
        """Set by hand, the lessor would never be reminded of the deadline."""
        batch = self.batch.with_user(self.it_boss)
        with self.assertRaisesRegex(UserError, "change only through its"):
            batch.write({"it_portal_reminded_deadline": date(2026, 3, 12)})
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.env["it.disposal.batch"].with_user(self.it_boss).create(
                {
                    "recipient_id": self.lessor.id,
                    "crate_number": "BUR-18",
                    "it_portal_reminded_deadline": date(2026, 3, 12),
                }
            )
        self.assertFalse(self.batch.it_portal_reminded_deadline)
        with freeze_time("2026-03-09"):
            self.env["it.disposal.batch"]._cron_it_portal_receipt_reminders()
        self.assertEqual(len(self._mails(self.batch, "deadline")), 1)
        self.assertEqual(self.batch.it_portal_reminded_deadline, date(2026, 3, 12))

    def test_dispute_mail_to_lessor(self):
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1 RA-2 RA-3", "S-1001, S-1002"
        )
        self.batch.sudo().write({"state": "graded"})
        line = self.batch.line_ids[0]
        line.with_user(self.portal).sudo().write({"grade": "c", "offered_value": 100.0})
        line.with_user(self.it_boss).action_dispute("Skärmen är hel enligt foto.")
        self.assertEqual(self.batch.state, "disputed")
        mails = self._mails(self.batch, "dispute")
        self.assertEqual(mails.recipient_ids, self.portal.partner_id)
        self.assertIn("Skärmen är hel", mails.body_html)
        # The lessor answers in the portal: a chatter message in their name.
        response = self._post(
            f"{self.batch.access_url}/answer",
            "crate_lessor",
            {"answer": "Vi har sänkt graden, se nytt värde."},
        )
        self.assertEqual(response.status_code, 303)
        answer = self.batch.message_ids.filtered(
            lambda m: (
                m.author_id == self.portal.partner_id and m.message_type == "comment"
            )
        )
        self.assertIn("Vi har sänkt graden", answer[:1].body)
