# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestChargePosting(ItChargeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # March 2026, full month: 500 + 400 + 300 = 1,200 on 3200, 250 on 4100.
        cls.school_devices = (
            cls._leased_device("P-1", 500.0, cls.code_school)
            | cls._leased_device("P-2", 400.0, cls.code_school)
            | cls._leased_device("P-3", 300.0, cls.code_school)
        )
        cls.care_device = cls._leased_device("P-4", 250.0, cls.code_care)
        cls.schedule.action_activate()
        cls.march = date(2026, 3, 1)

    def _charge_moves(self):
        return self.env["account.move"].search([("it_charge_run_id", "!=", False)])

    def test_one_balanced_move_with_a_debit_per_activity_code(self):
        run = self._run(self.march)
        run.action_post()
        move = run.move_id
        self.assertEqual(run.state, "posted")
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.journal)
        self.assertEqual(move.date, date(2026, 3, 31))
        self.assertEqual(move.it_charge_run_id, run)
        debits = move.line_ids.filtered(lambda line: line.debit)
        self.assertEqual(
            sorted(
                (line.account_id, line.debit, line.analytic_distribution)
                for line in debits
            ),
            sorted(
                [
                    (self.expense_account, 1200.0, {str(self.code_school.id): 100.0}),
                    (self.expense_account, 250.0, {str(self.code_care.id): 100.0}),
                ]
            ),
        )
        credit = move.line_ids.filtered(lambda line: line.credit)
        self.assertEqual(credit.account_id, self.income_account)
        self.assertEqual(credit.credit, 1450.0)
        self.assertEqual(
            credit.analytic_distribution, {str(self.code_it_unit.id): 100.0}
        )
        self.assertEqual(set(move.line_ids.mapped("it_counterparty_code")), {"2"})
        self.assertEqual(run.amount_total, 1450.0)
        self.assertEqual(run.device_count, 4)

    def test_analytic_lines_per_activity_code(self):
        run = self._run(self.march)
        run.action_post()
        analytic = self.env["account.analytic.line"].search(
            [("move_line_id.move_id", "=", run.move_id.id)]
        )
        column = self.plan._column_name()
        amounts = {line[column]: line.amount for line in analytic}
        # Costs are negative on the paying codes, revenue positive on IT.
        self.assertEqual(
            amounts,
            {
                self.code_school: -1200.0,
                self.code_care: -250.0,
                self.code_it_unit: 1450.0,
            },
        )

    def test_summary_per_activity_code(self):
        run = self._run(self.march)
        run.action_compute()
        summary = {
            s.activity_code_id.code: (s.device_count, s.amount) for s in run.summary_ids
        }
        self.assertEqual(summary, {"3200": (3, 1200.0), "4100": (1, 250.0)})

    def test_second_run_for_the_same_month_refused(self):
        self._run(self.march).action_post()
        with self.assertRaisesRegex(UserError, "already has a charge run for 2026-03"):
            self._run(date(2026, 3, 15))
        self.assertEqual(len(self._charge_moves()), 1)

    def test_posting_twice_posts_once(self):
        run = self._run(self.march)
        run.action_post()
        with self.assertRaisesRegex(UserError, "already posted"):
            run.action_post()
        self.assertEqual(len(self._charge_moves()), 1)

    def test_correction_by_reversal_and_a_new_run(self):
        run = self._run(self.march)
        run.action_post()
        with self.assertRaisesRegex(UserError, "cannot be edited, reset to draft"):
            run.move_id.button_draft()
        # The rent of a charged month changes only once the month is reversed.
        with self.assertRaisesRegex(UserError, "charged in charge run .* posted"):
            self.care_device.lease_line_id.monthly_rent = 350.0
        run.move_id._reverse_moves(cancel=True)
        self.assertEqual(run.state, "reversed")
        self.care_device.lease_line_id.monthly_rent = 350.0
        rerun = self._run(self.march)
        rerun.action_post()
        self.assertEqual(rerun.amount_total, 1200.0 + 350.0)
        self.assertEqual(run.move_id.reversal_move_ids.state, "posted")
        self.assertEqual(len(self._charge_moves()), 2)

    def test_lock_date_refused_with_clear_message(self):
        self.company.fiscalyear_lock_date = date(2026, 3, 31)
        run = self._run(self.march)
        with self.assertUserErrorRollsBack("locked up to .*charge of 2026-03"):
            run.action_post()
        self.assertFalse(self._charge_moves())
        self.assertEqual(run.state, "draft")

    def test_devices_without_code_block_posting_listed_by_serial(self):
        self._leased_device("P-NOCODE-1", 100.0)
        self._leased_device("P-NOCODE-2", 100.0)
        run = self._run(self.march)
        with self.assertUserErrorRollsBack(
            r"2 devices have no activity code.*P-NOCODE-1.*P-NOCODE-2"
        ):
            run.action_post()
        self.assertFalse(self._charge_moves())

    def test_failure_mid_way_leaves_no_move_and_no_lines(self):
        # The lines are computed, then creating the entry fails.
        self.expense_account.deprecated = True
        run = self._run(self.march)
        with self.assertUserErrorRollsBack("is deprecated"):
            run.action_post()
        self.assertFalse(self._charge_moves())
        self.assertFalse(run.line_ids)
        self.assertEqual(run.state, "draft")

    def test_missing_settings_named(self):
        self.company.it_charge_journal_id = False
        with self.assertUserErrorRollsBack("Missing: Charge Journal"):
            self._run(self.march).action_post()

    def test_posted_run_cannot_be_recomputed_nor_deleted(self):
        run = self._run(self.march)
        run.action_post()
        with self.assertRaisesRegex(UserError, "reverse its journal entry"):
            run.action_compute()
        with self.assertRaises(UserError):
            run.unlink()
