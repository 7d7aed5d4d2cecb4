# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CratePortalCommon


@tagged("post_install", "-at_install")
class TestCrateAnchor(CratePortalCommon):
    """Issue 25, item 5: the lessor is given the head of the crate's custody
    log in its notification mail and its portal view; issue 26, item 2: the
    bridge asks the crate's states through methods it can extend."""

    def test_collected_mail_and_portal_give_the_anchor(self):
        head = self.batch.event_ids.sorted("sequence")[-1]
        self.assertEqual(head.event_type, "collected")
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "it.disposal.batch"),
                ("res_id", "=", self.batch.id),
                ("subject", "ilike", "collected"),
            ]
        )
        self.assertIn(f"#2 {head.hash}", mail.body_html)
        anchor = self.batch.anchor_ids.filtered(lambda a: a.channel == "mail")
        self.assertEqual((anchor.sequence, anchor.hash), (2, head.hash))
        self.assertEqual(anchor.partner_id, self.lessor)
        page = self._get(self.batch.access_url, "crate_lessor")
        self.assertEqual(page.status_code, 200)
        self.assertIn(head.hash, page.text)
        # What the lessor holds verifies the log.
        self.assertTrue(self.batch._verify_custody(mail.body_html)["intact"])

    def test_receipt_states_are_a_method_the_bridge_calls(self):
        """A crate in a state an extension adds to the receipt states is
        reminded by the bridge's job."""
        Batch = type(self.env["it.disposal.batch"])
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1", "S-1001, S-1002"
        )
        self.batch.sudo().write({"state": "sanitized"})
        with (
            patch.object(
                Batch,
                "_get_receipt_states",
                lambda self: ("collected", "received", "sanitized"),
            ),
            freeze_time("2026-03-09"),
        ):
            self.env["it.disposal.batch"]._cron_it_portal_receipt_reminders()
        self.assertEqual(self.batch.it_portal_reminded_deadline, date(2026, 3, 12))
        self.assertIn("graded", self.batch._get_grading_states())
