# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command
from odoo.tests import tagged

from ..tools.activity import schedule_activity
from .common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestChatterWithoutEmail(ItChargeCommon):
    """A user or an integration account without an e-mail address can still
    do its work: the note of what it did is logged in the chatter, and an
    activity it gives someone else is scheduled (without the "assigned to
    you" e-mail, which has no sender)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._leased_device("NOMAIL-1", 310.0, code=cls.code_school)
        cls.schedule.action_activate()
        cls.clerk = cls.env["res.users"].create(
            {
                "name": "Integrationskonto ekonomi",
                "login": "integration-no-mail",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("account.group_account_invoice").id,
                            cls.env.ref(
                                "municipal_it_lease.municipal_it_lease_group_user"
                            ).id,
                        ]
                    )
                ],
            }
        )

    def test_posting_a_month_logs_its_note(self):
        self.assertFalse(self.clerk.email)
        run = self._run(date(2026, 3, 1)).with_user(self.clerk)
        run.action_post()
        self.assertEqual(run.state, "posted")
        notes = run.message_ids.filtered(lambda msg: "Posted as" in (msg.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.clerk.partner_id)
        self.assertTrue(notes.is_internal)
        self.assertIn(run.move_id.name, notes.body)

    def test_activity_for_someone_else(self):
        run = self._run(date(2026, 3, 1))
        activity = schedule_activity(
            run.with_user(self.clerk),
            self.it_manager,
            lambda record: ("Kontrollera månaden", False),
            "mail.mail_activity_data_todo",
        )
        self.assertEqual(activity.user_id, self.it_manager)
        self.assertEqual(activity.summary, "Kontrollera månaden")
        self.assertEqual(activity.res_id, run.id)
