# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common_charge import ItChargeCommon

MARCH = date(2026, 3, 1)
REFUSED = "cannot be set directly"


@tagged("post_install", "-at_install")
class TestSystemFields(ItChargeCommon):
    """What the app's own steps set (states, decisions, computed dates, the
    link of a reversal to a charge) is refused to every other caller: a
    finance clerk and an IT leasing manager, through the ORM as through any
    client. Each case was found writable by a review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls._leased_device("SF-1", 500.0, cls.code_school)
        cls.other = cls._leased_device("SF-2", 300.0, cls.code_care)
        cls.schedule.action_activate()
        cls.clerk = new_test_user(
            cls.env,
            login="sf_clerk",
            groups="account.group_account_invoice,"
            "municipal_it_lease.municipal_it_lease_group_user",
        )
        cls.march = cls.Run.create({"date_from": MARCH})
        cls.march.action_post()

    def test_charge_entry_is_reversed_by_its_reversal_only(self):
        """A 1.00 entry linked by hand to March's charge would free March
        for a second charge of 800.00 (500 + 300) with the first one still
        posted."""
        Move = self.env["account.move"].with_user(self.clerk)
        values = {
            "move_type": "entry",
            "journal_id": self.journal.id,
            "date": date(2026, 3, 31),
            "line_ids": [
                Command.create({"account_id": self.expense_account.id, "balance": 1}),
                Command.create({"account_id": self.income_account.id, "balance": -1}),
            ],
        }
        with self.assertRaisesRegex(UserError, "only its reversal"):
            Move.create(dict(values, reversed_entry_id=self.march.move_id.id))
        # Nor as the default of the request's context.
        with self.assertRaisesRegex(UserError, "only its reversal"):
            Move.with_context(default_reversed_entry_id=self.march.move_id.id).create(
                values
            )
        draft = Move.create(values)
        with self.assertRaisesRegex(UserError, "only its reversal"):
            draft.write({"reversed_entry_id": self.march.move_id.id})
        self.assertEqual(self.march.state, "posted")
        with self.assertRaisesRegex(UserError, "already has a charge run"):
            self.Run.create({"date_from": MARCH})

    def test_a_reversal_changed_in_part_is_not_posted(self):
        """Odoo's reversal, left in draft, then one amount changed from
        -500.00 to -1.00: posting it would reverse 301.00 of 800.00."""
        reversal = self.march.move_id._reverse_moves([{"date": date(2026, 3, 31)}])
        self.assertEqual(reversal.state, "draft")
        school = reversal.line_ids.filtered(lambda line: line.balance == -500.0)
        school.with_context(check_move_validity=False).balance = -1.0
        reversal.line_ids.filtered(lambda line: line.balance == 800.0).with_context(
            check_move_validity=False
        ).balance = 301.0
        with self.assertRaisesRegex(UserError, "only in part"):
            reversal.action_post()
        self.assertEqual(self.march.state, "posted")

    def test_the_whole_reversal_frees_the_month(self):
        self.march.move_id._reverse_moves(cancel=True)
        self.assertEqual(self.march.state, "reversed")
        self.assertTrue(self.Run.create({"date_from": MARCH}))

    def test_a_charge_is_reversed_once(self):
        """A second reversal would give March's 800.00 back twice: refused
        while the first is a draft (dated later) and once it is posted; a
        cancelled draft no longer counts."""
        charge = self.march.move_id
        first = charge._reverse_moves([{"date": date(2026, 4, 30)}])
        with self.assertRaisesRegex(UserError, "reversed already"):
            charge._reverse_moves([{"date": date(2026, 3, 31)}])
        first.button_cancel()
        second = charge._reverse_moves([{"date": date(2026, 3, 31)}])
        second.action_post()
        self.assertEqual(self.march.state, "reversed")
        with self.assertRaisesRegex(UserError, "reversed already"):
            charge._reverse_moves(cancel=True)
        self.assertEqual(
            sum(
                charge.reversal_move_ids.filtered(lambda m: m.state == "posted")
                .line_ids.filtered(lambda line: line.balance > 0)
                .mapped("balance")
            ),
            800.0,
        )

    def test_charge_run_state_is_not_created_or_set_by_hand(self):
        Run = self.Run.with_user(self.clerk)
        with self.assertRaisesRegex(UserError, REFUSED):
            Run.create({"date_from": date(2026, 4, 1), "state": "posted"})
        with self.assertRaisesRegex(UserError, REFUSED):
            Run.create(
                {"date_from": date(2026, 4, 1), "move_id": self.march.move_id.id}
            )
        # As a default in the request's context, it counts for nothing.
        april = Run.with_context(default_state="posted").create(
            {"date_from": date(2026, 4, 1)}
        )
        self.assertEqual(april.state, "draft")
        april.unlink()
        april = Run.create({"date_from": date(2026, 4, 1), "state": "draft"})
        with self.assertRaisesRegex(UserError, REFUSED):
            april.write({"cron_attempt_date": date(2026, 5, 25)})
        self.assertFalse(april.cron_attempt_date)

    def test_schedule_state_and_computed_terms(self):
        """Activating by hand skips the checks of Activate (a month already
        posted); the R5 class and the notice date are computed."""
        schedule = self._create_schedule("SF-NEW", date(2026, 3, 1), 36)
        self._leased_device("SF-3", 100.0, self.code_school, schedule)
        manager_schedule = schedule.with_user(self.it_manager)
        for values in (
            {"state": "active"},
            {"r5_classification": "financial"},
            {"notice_date": date(2030, 1, 1)},
            {"pv_minimum_lease_payments": 1.0},
        ):
            with self.assertRaisesRegex(UserError, REFUSED):
                manager_schedule.write(values)
        with self.assertRaisesRegex(UserError, REFUSED):
            self.env["it.lease.schedule"].with_user(self.it_manager).create(
                {
                    "name": "SF-FORGED",
                    "agreement_id": schedule.agreement_id.id,
                    "date_start": date(2026, 5, 1),
                    "state": "active",
                }
            )
        # Its button refuses it too: March is posted.
        with self.assertRaisesRegex(UserError, "2026-03"):
            manager_schedule.action_activate()
        self.assertEqual(schedule.state, "draft")
        # Saving what the form read is no change; a copy of an active
        # schedule is a draft.
        manager_schedule.write({"state": "draft", "name": "SF-NEW 2"})
        copy = self.schedule.with_user(self.it_manager).copy({"name": "CH-1 B"})
        self.assertEqual((self.schedule.state, copy.state), ("active", "draft"))

    def test_lease_line_facts_are_set_by_their_steps(self):
        line = self.device.lease_line_id.with_user(self.it_manager)
        for values in (
            {"date_charged_until": date(2026, 3, 10)},
            {"state": "cancelled"},
            {"end_decision": "return", "decision_date": date(2020, 1, 1)},
            {"decision_user_id": self.it_user.id},
            {"date_returned": date(2026, 3, 10)},
        ):
            with self.assertRaisesRegex(UserError, REFUSED):
                line.write(values)
        # The decision, through its step, sets them.
        line._decide_return()
        self.assertEqual(
            (line.end_decision, line.decision_user_id), ("return", self.it_manager)
        )
        self.assertTrue(self.device.return_requested)

    def test_reconciliation_state_moves_by_its_buttons(self):
        Reconciliation = self.env["it.lease.reconciliation"].with_user(self.clerk)
        with self.assertRaisesRegex(UserError, REFUSED):
            Reconciliation.create(
                {
                    "lessor_id": self.lessor.id,
                    "date_from": MARCH,
                    "state": "accepted",
                }
            )
        reconciliation = Reconciliation.create(
            {"lessor_id": self.lessor.id, "date_from": MARCH}
        )
        with self.assertRaisesRegex(UserError, REFUSED):
            reconciliation.write({"state": "accepted"})
        # Checked needs the lessor's bill or a reason, as the button says.
        with self.assertRaisesRegex(UserError, "vendor bill"):
            reconciliation.action_check()
        reconciliation.check_note = "No bill this month: credit expected."
        reconciliation.action_check()
        reconciliation.action_accept()
        self.assertEqual(reconciliation.state, "accepted")

    def test_history_company_and_current_lease_line_are_computed(self):
        period = self.env["it.activity.code.assignment"].search(
            [("equipment_id", "=", self.device.id)]
        )
        other_company = self.env["res.company"].create({"name": "Grannby kommun"})
        with self.assertRaisesRegex(UserError, REFUSED):
            period.with_user(self.it_manager).write({"company_id": other_company.id})
        with self.assertRaisesRegex(UserError, REFUSED):
            self.device.with_user(self.it_user).write(
                {"lease_line_id": self.other.lease_line_id.id}
            )
        self.assertEqual(period.company_id, self.company)
