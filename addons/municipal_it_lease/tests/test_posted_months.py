# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A posted month stays true: every path that could charge a day twice or
change a posted charge is refused by the models, for every caller."""

from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common_charge import ItChargeCommon

MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)


@tagged("post_install", "-at_install")
class TestChargedDays(ItChargeCommon):
    """One rule for the days a lease line is charged (item 1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 January 2025 + 12 months: ends 31 December 2025.
        cls.old = cls._create_schedule("OLD", date(2025, 1, 1), 12)
        cls.device = cls._leased_device("CD-1", 600.0, cls.code_school, cls.old)
        cls.old.action_activate()
        cls.new = cls._create_schedule("NEW", date(2026, 1, 16), 36)

    def _release(self):
        return self.env["it.lease.line"].create(
            {
                "schedule_id": self.new.id,
                "equipment_id": self.device.id,
                "monthly_rent": 310.0,
            }
        )

    def test_device_running_on_cannot_be_leased_twice(self):
        # Undecided after its end, the device runs on (the lessor's usual
        # term): leasing it again from 16 January would charge those days on
        # both lines.
        with self.assertRefused(ValidationError, "until it is returned"):
            self._release()
        run = self._run(date(2026, 1, 1))
        run.action_compute()
        # Whole January on the old line only: 600.00.
        self.assertEqual(self._charged(run, self.device), {"3200": 600.0})

    def test_rent_ending_on_the_end_date_is_a_term_of_the_schedule(self):
        self.old.rent_continues = False
        line = self.device.lease_line_id
        self.assertEqual(line.date_charged_until, date(2025, 12, 31))
        self._release()
        self.new.action_activate()
        run = self._run(date(2026, 1, 1))
        run.action_compute()
        # Only the new line, from the 16th: 310 x 16 / 31 = 160.00.
        self.assertEqual(self._charged(run, self.device), {"3200": 160.0})

    def test_return_ends_the_charge_on_the_day_taken_back(self):
        line = self.device.lease_line_id
        line._decide_return()
        self.assertFalse(line.date_charged_until)
        line._register_return(date(2026, 2, 10))
        self.assertEqual(line.date_charged_until, date(2026, 2, 10))
        run = self._run(date(2026, 2, 1))
        run.action_compute()
        # 600 x 10 / 28 = 214.2857 -> 214.29.
        self.assertEqual(self._charged(run, self.device), {"3200": 214.29})

    def test_reconciliation_expects_what_charging_charges(self):
        self.device.lease_line_id._register_return(date(2026, 2, 10))
        reconciliation = self.env["it.lease.reconciliation"]._import_specification(
            self.lessor,
            date(2026, 2, 1),
            b"Schedule,Serial,Period,Amount\nOLD,CD-1,2026-02,214.29\n",
            "spec.csv",
        )
        line = reconciliation.line_ids
        self.assertEqual((line.status, line.expected_amount), ("matched", 214.29))

    def test_lease_end_warning_says_the_rent_continues(self):
        text = self.old._get_after_end_text()
        self.assertIn("continues month by month until the lessor takes it back", text)
        self.old.rent_continues = False
        self.assertIn("The rent ends on", self.old._get_after_end_text())


@tagged("post_install", "-at_install")
class TestEndDecisions(ItChargeCommon):
    """Extension is a new annex (item 2); buy-out stops charging (item 3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.it_buyout_account_id = cls.expense_account
        # 1 January 2024 + 24 months: ends 31 December 2025; 9 devices at 300.
        cls.annex = cls._create_schedule(
            "EXT-1",
            date(2024, 1, 1),
            24,
            fair_value=9000.0,
            discount_rate=3.0,
        )
        cls.devices = cls.env["maintenance.equipment"]
        for number in range(9):
            cls.devices |= cls._leased_device(
                f"EX-{number}", 300.0, cls.code_school, cls.annex
            )
        cls.annex.line_ids.write({"residual_value": 100.0})
        cls.annex.action_activate()

    def test_extension_is_a_new_annex_and_the_original_stays(self):
        before = (
            self.annex.line_count,
            self.annex.monthly_rent_total,
            self.annex.pv_minimum_lease_payments,
            self.annex.r5_classification,
        )
        extended = self.annex.line_ids[:3]
        new_lines = extended._decide_extend(
            date(2026, 1, 1), date(2026, 12, 31), dict.fromkeys(extended, 200.0)
        )
        extension = new_lines.schedule_id
        self.assertEqual(len(extension), 1)
        self.assertNotEqual(extension, self.annex)
        self.assertEqual(extension.extends_schedule_id, self.annex)
        self.assertEqual(extension.agreement_id, self.annex.agreement_id)
        self.assertEqual(extension.state, "active")
        self.assertEqual(
            (extension.date_start, extension.term_months, extension.date_end),
            (date(2026, 1, 1), 12, date(2026, 12, 31)),
        )
        # 3 devices x 200.00; fair value = their buy-out price 3 x 100.00.
        self.assertEqual(
            (extension.line_count, extension.monthly_rent_total), (3, 600.0)
        )
        self.assertEqual(extension.fair_value, 300.0)
        # The original annex still shows its 9 devices, 9 x 300.00 = 2,700.00.
        self.assertEqual(
            (
                self.annex.line_count,
                self.annex.monthly_rent_total,
                self.annex.pv_minimum_lease_payments,
                self.annex.r5_classification,
            ),
            before,
        )
        self.assertEqual(before[:2], (9, 2700.0))
        self.assertEqual(self.annex.extension_count, 1)
        # January 2026: 3 extended at 200.00 + 6 running on at 300.00 = 2,400.00.
        run = self._run(date(2026, 1, 1))
        run.action_compute()
        self.assertEqual(run.amount_total, 2400.0)
        self.assertEqual(run.device_count, 9)
        # A second extension with the same dates joins the same annex.
        more = self.annex.line_ids.filtered(lambda line: not line.end_decision)[:1]
        more._decide_extend(date(2026, 1, 1), date(2026, 12, 31), {})
        self.assertEqual(more.extension_line_id.schedule_id, extension)
        self.assertEqual(extension.line_count, 4)

    def test_extension_must_follow_the_term(self):
        with self.assertRefused(UserError, "after the current term ends"):
            self.annex.line_ids[:1]._decide_extend(
                date(2025, 12, 1), date(2026, 11, 30), {}
            )

    def test_buy_out_stops_the_charge_on_the_buy_out_date(self):
        line = self.annex.line_ids[:1]
        device = line.equipment_id
        bills = line._decide_buy_out(date(2026, 1, 15))
        self.assertEqual(line.date_charged_until, date(2026, 1, 15))
        self.assertTrue(device.is_owned)
        self.assertEqual(bills.currency_id, self.annex.currency_id)
        january = self._run(date(2026, 1, 1))
        january.action_compute()
        # 300 x 15 / 31 = 145.16.
        self.assertEqual(self._charged(january, device), {"3200": 145.16})
        february = self._run(date(2026, 2, 1))
        february.action_compute()
        self.assertEqual(self._charged(february, device), {})


@tagged("post_install", "-at_install")
class TestPostedChargeFrozen(ItChargeCommon):
    """Reversal (item 4), the posted entry and run (item 5), the facts behind
    a posted month (item 6), accepted reconciliations (item 8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls._leased_device("PF-1", 500.0, cls.code_school)
        cls.other = cls._leased_device("PF-2", 300.0, cls.code_care)
        cls.schedule.action_activate()
        # Ended 28 February 2026, undecided: runs on through March at 100.00.
        cls.old = cls._create_schedule("PF-OLD", date(2023, 3, 1), 36)
        cls.ended = cls._leased_device("PF-3", 100.0, cls.code_care, cls.old)
        cls.old.action_activate()
        cls.accountant = new_test_user(
            cls.env,
            login="accountant",
            groups="account.group_account_manager,"
            "municipal_it_lease.municipal_it_lease_group_manager",
        )
        cls.march_run = cls.Run.create({"date_from": MARCH})
        cls.march_run.action_post()

    # Item 4

    def test_reversal_date_defaults_to_the_charge_date(self):
        with freeze_time("2026-06-15"):
            action = self.march_run.action_reverse()
            wizard = Form(
                self.env["account.move.reversal"].with_context(**action["context"])
            )
            self.assertEqual(wizard.date, date(2026, 3, 31))
            # From the journal entry itself too.
            plain = Form(
                self.env["account.move.reversal"].with_context(
                    active_model="account.move", active_ids=self.march_run.move_id.ids
                )
            )
            self.assertEqual(plain.date, date(2026, 3, 31))

    def test_reversal_date_after_the_lock_date(self):
        self.company.fiscalyear_lock_date = date(2026, 4, 30)
        self.assertEqual(self.march_run._get_reversal_date(), date(2026, 5, 1))

    def test_a_future_reversal_leaves_the_month_taken_until_posted(self):
        with freeze_time("2026-04-10"):
            reversal = self.march_run.move_id._reverse_moves(
                [{"date": date(2026, 5, 1), "auto_post": "at_date"}]
            )
            self.assertEqual(reversal.state, "draft")
            self.assertEqual(self.march_run.state, "posted")
            with self.assertRefused(UserError, "already has a charge run"):
                self.Run.create({"date_from": MARCH})
        with freeze_time("2026-05-01"):
            reversal._post()
        self.assertEqual(self.march_run.state, "reversed")
        self.assertTrue(self.Run.create({"date_from": MARCH}))

    # Item 5

    def test_posted_entry_cannot_be_edited_even_by_the_accountant(self):
        move = self.march_run.move_id.with_user(self.accountant)
        debit = move.line_ids.filtered("debit")[:1]
        attempts = [
            lambda: move.write({"state": "draft"}),
            move.button_draft,
            move.button_cancel,
            lambda: move.write({"it_charge_run_id": False}),
            lambda: move.write({"date": date(2026, 4, 30)}),
            lambda: debit.write({"account_id": self.income_account.id}),
            lambda: debit.write(
                {"analytic_distribution": {str(self.code_care.id): 100}}
            ),
            lambda: debit.write({"it_counterparty_code": "9"}),
            lambda: debit.with_context(check_move_validity=False).unlink(),
            lambda: move.sudo().write({"state": "draft"}),
            lambda: move.line_ids.analytic_line_ids[:1].sudo().write({"amount": 1.0}),
            lambda: move.sudo().unlink(),
        ]
        for attempt in attempts:
            with self.subTest(attempt=attempt), self.assertRaises(UserError):
                attempt()
        self.assertEqual(self.march_run.move_id.state, "posted")
        self.assertEqual(self.march_run.move_id.amount_total, 900.0)

    def test_posted_run_cannot_be_edited_moved_or_deleted(self):
        run = self.march_run.with_user(self.accountant)
        attempts = [
            lambda: run.write({"state": "reversed"}),
            lambda: run.sudo().write({"state": "draft"}),
            # Reversed only once a reversal of its entry is posted, also for
            # code running as superuser.
            lambda: run.sudo().write({"state": "reversed"}),
            lambda: run.write({"date_from": APRIL}),
            lambda: run.sudo().write({"company_id": self.env.company.id}),
            lambda: run.write({"move_id": False}),
            run.unlink,
            lambda: run.line_ids[:1].write({"amount": 1.0}),
            lambda: run.line_ids[:1].sudo().unlink(),
            run.action_compute,
        ]
        for attempt in attempts:
            with self.subTest(attempt=attempt), self.assertRaises(UserError):
                attempt()
        self.assertEqual(
            (
                self.march_run.state,
                self.march_run.date_from,
                self.march_run.amount_total,
            ),
            ("posted", MARCH, 900.0),
        )
        # Never a second live entry for March.
        with self.assertRefused(UserError, "already has a charge run"):
            self.Run.create({"date_from": MARCH})

    # Item 6

    def test_code_change_in_a_posted_month_refused_from_every_path(self):
        history = self.device.activity_code_history_ids
        attempts = [
            lambda: self.env["it.activity.code.assignment"]._assign(
                self.device, self.code_care, date(2026, 3, 16)
            ),
            lambda: history.write({"activity_code_id": self.code_care.id}),
            lambda: history.write({"date_to": date(2026, 3, 15)}),
            history.unlink,
            lambda: self.env["it.activity.code.assignment"].create(
                {
                    "equipment_id": self.device.id,
                    "activity_code_id": self.code_care.id,
                    "date_from": date(2026, 3, 20),
                    "date_to": date(2026, 3, 25),
                }
            ),
        ]
        for attempt in attempts:
            with (
                self.subTest(attempt=attempt),
                self.assertRefused(UserError, "charge run .* posted"),
            ):
                attempt()
        # From April the code may change.
        self.env["it.activity.code.assignment"]._assign(
            self.device, self.code_care, APRIL
        )

    def test_code_change_by_raw_sql_refused_by_the_database(self):
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRefused(
                psycopg2.errors.IntegrityConstraintViolation,
                r"PF-1 cannot change on days charge run .* charged",
            ),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE it_activity_code_assignment SET activity_code_id = %s"
                " WHERE equipment_id = %s",
                [self.code_care.id, self.device.id],
            )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.IntegrityConstraintViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "DELETE FROM it_activity_code_assignment WHERE equipment_id = %s",
                [self.device.id],
            )
        # A period after the posted month is free to write.
        self.env.cr.execute(
            "UPDATE it_activity_code_assignment SET date_to = '2026-05-31'"
            " WHERE equipment_id = %s",
            [self.device.id],
        )

    def test_remap_into_a_posted_month_refused(self):
        remap = self.env["it.activity.code.remap"].create(
            {"name": "Mid-March", "effective_date": date(2026, 3, 16)}
        )
        remap.line_ids = [
            (0, 0, {"old_code": self.code_school.code, "new_code": self.code_care.code})
        ]
        with self.assertRefused(UserError, "posted"):
            remap.action_apply()

    def test_lease_line_facts_of_a_posted_month_refused(self):
        line = self.device.lease_line_id
        attempts = [
            lambda: line.write({"monthly_rent": 450.0}),
            lambda: line.write({"date_start": date(2025, 2, 1)}),
            lambda: line._decide_buy_out(date(2026, 3, 20)),
            lambda: line._change_rent(date(2026, 3, 16), 450.0),
            lambda: self.schedule.action_cancel(),
            lambda: line.unlink(),
        ]
        for attempt in attempts:
            with (
                self.subTest(attempt=attempt),
                self.assertRefused(
                    UserError, "(?i)charge run .* posted|has been charged"
                ),
            ):
                attempt()
        # A new device cannot join a posted month either.
        newcomer = self._create_device("PF-NEW")
        with self.assertRefused(UserError, "in or before a posted month"):
            self.env["it.lease.line"].create(
                {
                    "schedule_id": self.schedule.id,
                    "equipment_id": newcomer.id,
                    "monthly_rent": 100.0,
                    "date_start": date(2026, 3, 10),
                }
            )

    def test_late_receipt_stops_the_charge_after_the_posted_months(self):
        line = self.ended.lease_line_id
        line._decide_return()
        # Taken back on 10 March, confirmed after March was posted (it charged
        # the whole month, 100.00): March stays as posted, the charge stops on
        # 31 March, and the schedule's chatter says why.
        self.assertEqual(self._charged(self.march_run, self.ended), {"4100": 100.0})
        line._register_return(date(2026, 3, 10))
        self.assertEqual(line.date_returned, date(2026, 3, 31))
        self.assertEqual(line.date_charged_until, date(2026, 3, 31))
        self.assertIn("charged in posted months", self.old.message_ids[:1].body)
        april = self._run(APRIL)
        april.action_compute()
        self.assertEqual(self._charged(april, self.ended), {})

    def test_rent_change_from_a_date_is_effective_dated(self):
        line = self.device.lease_line_id
        new_line = line._change_rent(date(2026, 4, 16), 450.0)
        self.assertEqual(line.date_end, date(2026, 4, 15))
        self.assertEqual(line.continued_by_id, new_line)
        self.assertEqual(
            (new_line.date_start, new_line.monthly_rent), (date(2026, 4, 16), 450.0)
        )
        # The schedule still counts the device once, at its latest rent:
        # 450.00 + 300.00.
        self.assertEqual(
            (self.schedule.line_count, self.schedule.monthly_rent_total), (2, 750.0)
        )
        april = self._run(APRIL)
        april.action_compute()
        # 500 x 15 / 30 + 450 x 15 / 30 = 250.00 + 225.00 = 475.00.
        lines = april.line_ids.filtered(lambda line: line.equipment_id == self.device)
        self.assertEqual(sorted(lines.mapped("amount")), [225.0, 250.0])
        self.assertEqual(sum(lines.mapped("amount")), 475.0)
        # March as posted: 500.00.
        self.assertEqual(self._charged(self.march_run, self.device), {"3200": 500.0})

    # Item 8

    def test_accepted_reconciliation_is_immutable_until_reopened(self):
        reconciliation = self.env["it.lease.reconciliation"]._import_specification(
            self.lessor,
            MARCH,
            b"Schedule,Serial,Period,Amount\nCH-1,PF-1,2026-03,500\n",
            "spec.csv",
        )
        reconciliation.check_note = "The bill comes next week"
        reconciliation.action_check()
        reconciliation.action_accept()
        # By the IT leasing manager, who may write, delete and reopen
        # reconciliations: refused by the rules, not by the access rights.
        managed = reconciliation.with_user(self.it_manager)
        attempts = [
            lambda: managed.write({"state": "draft"}),
            lambda: managed.write({"note": "changed"}),
            lambda: managed.line_ids[:1].write({"invoiced_amount": 1.0}),
            lambda: managed.line_ids[:1].unlink(),
            managed.unlink,
            managed.action_reset_draft,
        ]
        for attempt in attempts:
            with self.subTest(attempt=attempt), self.assertRaises(UserError):
                attempt()
        with self.assertRefused(UserError, "reason"):
            reconciliation._reopen(" ")
        with self.assertRaises(UserError):  # AccessError is a UserError
            reconciliation.with_user(self.it_user)._reopen("wrong amount")
        reconciliation.with_user(self.it_manager)._reopen("Wrong amount on PF-1")
        self.assertEqual(reconciliation.state, "checked")
        self.assertIn("Wrong amount on PF-1", reconciliation.message_ids[:1].body)


@tagged("post_install", "-at_install")
class TestChargingLock(ItChargeCommon):
    """One lock for everything that must not interleave with a posting, taken
    once on each path (issue 26 item 3)."""

    @contextmanager
    def _count_locks(self, expected):
        Company = type(self.env["res.company"])
        original = Company._lock_it_charging
        taken = []

        def spy(companies):
            taken.append(companies.ids)
            return original(companies)

        with patch.object(Company, "_lock_it_charging", spy):
            yield
        self.assertEqual(taken, [self.company.ids] * expected)

    def test_each_path_takes_the_company_lock_once(self):
        device = self._leased_device("LK-1", 100.0, self.code_school)
        self.schedule.action_activate()
        with self._count_locks(1):
            run = self._run(MARCH)
        with self._count_locks(1):
            run.action_post()
        remap = self.env["it.activity.code.remap"].create(
            {"name": "April", "effective_date": APRIL}
        )
        remap.line_ids = [
            (0, 0, {"old_code": self.code_school.code, "new_code": self.code_care.code})
        ]
        with self._count_locks(1):
            remap.action_apply()
        with self._count_locks(1):
            remap.action_undo()
        with self._count_locks(1):
            device.with_context(
                activity_code_effective_date=date(2026, 5, 1)
            ).activity_code_id = self.code_care

    def test_the_job_takes_the_company_lock_once(self):
        self._leased_device("LK-2", 100.0, self.code_school)
        self.schedule.action_activate()
        with self._count_locks(1):
            run = self.Run._charge_company_month(self.company, MARCH, APRIL)
        self.assertEqual(run.state, "posted")
        with self._count_locks(1):
            self.assertEqual(
                self.Run._charge_company_month(self.company, MARCH, APRIL), run
            )

    def test_the_lock_is_a_row_update_not_a_table_of_its_own(self):
        self.env.cr.execute("SELECT to_regclass('it_charge_company_lock') IS NULL")
        self.assertTrue(self.env.cr.fetchone()[0])


@tagged("post_install", "-at_install")
class TestCurrency(ItChargeCommon):
    """No currency mixing (item 10)."""

    def test_schedule_in_a_foreign_currency_cannot_be_activated(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        usd = self.env.ref("base.USD")
        foreign = eur if self.company.currency_id != eur else usd
        schedule = self._create_schedule(
            "EUR-1", date(2026, 1, 1), 36, currency_id=foreign.id
        )
        self._leased_device("FX-1", 100.0, self.code_school, schedule)
        with self.assertRefused(ValidationError, "only a schedule in the company"):
            schedule.action_activate()
        # A state is set by the buttons only; the rule holds for the addon's
        # own code, which writes it as superuser, too.
        with self.assertRefused(UserError, "cannot be set directly"):
            schedule.with_user(self.it_manager).write({"state": "active"})
        with self.assertRefused(ValidationError, "only a schedule in the company"):
            schedule.sudo().write({"state": "active"})


@tagged("post_install", "-at_install")
class TestCronIsolation(ItChargeCommon):
    """One company that cannot be charged never blocks the others (item 9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env, login="finance_a", groups="account.group_account_manager"
        )
        cls.companies = cls.company
        cls._leased_device("ISO-A", 100.0, cls.code_school)
        cls.schedule.action_activate()
        for name in ("Kommun B", "Kommun C"):
            company = cls.env["res.company"].create(
                {"name": name, "currency_id": cls.company.currency_id.id}
            )
            env = cls.env(
                context=dict(cls.env.context, allowed_company_ids=company.ids)
            )
            plan = env["account.analytic.plan"].create({"name": f"Plan {name}"})
            code, unit = env["account.analytic.account"].create(
                [
                    {"name": "Skola", "code": f"{name}-1", "plan_id": plan.id},
                    {"name": "IT", "code": f"{name}-9", "plan_id": plan.id},
                ]
            )
            expense, income = env["account.account"].create(
                [
                    {
                        "name": "Hyra",
                        "code": f"6352{len(cls.companies)}",
                        "account_type": "expense",
                    },
                    {
                        "name": "Intäkt",
                        "code": f"3691{len(cls.companies)}",
                        "account_type": "income_other",
                    },
                ]
            )
            journal = env["account.journal"].create(
                {
                    "name": f"IT {name}",
                    "code": f"IT{len(cls.companies)}",
                    "type": "general",
                }
            )
            company.write(
                {
                    "it_activity_code_plan_id": plan.id,
                    "it_charge_journal_id": journal.id,
                    "it_charge_expense_account_id": expense.id,
                    "it_charge_income_account_id": income.id,
                    "it_charge_analytic_account_id": unit.id,
                    "it_charge_day": 5,
                    "it_charge_user_id": cls.finance.id,
                }
            )
            lessor = env["res.partner"].create({"name": f"Lessor {name}"})
            agreement = env["it.lease.agreement"].create(
                {"name": f"MA {name}", "lessor_id": lessor.id, "company_id": company.id}
            )
            schedule = env["it.lease.schedule"].create(
                {
                    "name": f"S {name}",
                    "agreement_id": agreement.id,
                    "company_id": company.id,
                    "date_start": date(2025, 1, 1),
                    "term_months": 36,
                }
            )
            device = env["maintenance.equipment"].create(
                {
                    "name": f"Laptop {name}",
                    "serial_no": f"ISO-{name}",
                    "company_id": company.id,
                    "lifecycle_state": "in_use",
                    "activity_code_id": code.id,
                }
            )
            env["it.lease.line"].create(
                {
                    "schedule_id": schedule.id,
                    "equipment_id": device.id,
                    "monthly_rent": 200.0,
                }
            )
            schedule.action_activate()
            cls.companies |= company
        cls.company.it_charge_day = 5
        cls.company_b, cls.company_c = cls.companies[1:]

    def _run_cron(self):
        Run = self.env["it.charge.run"]
        for _call in range(len(self.companies) + 1):
            Run._cron_charge_month()

    def test_the_middle_company_fails_and_the_others_post(self):
        original = type(self.env["it.charge.run"])._prepare_move_vals

        def failing(run):
            if run.company_id == self.company_b:
                raise ZeroDivisionError("broken chart of company B")
            return original(run)

        with (
            freeze_time("2026-04-10"),
            patch.object(
                type(self.env["it.charge.run"]), "_prepare_move_vals", failing
            ),
            mute_logger("odoo.addons.municipal_it_lease.models.it_charge_run_cron"),
        ):
            self._run_cron()
        runs = {
            run.company_id: run
            for run in self.env["it.charge.run"].search(
                [("date_from", "=", MARCH), ("company_id", "in", self.companies.ids)]
            )
        }
        self.assertEqual(runs[self.company].state, "posted")
        self.assertEqual(runs[self.company_c].state, "posted")
        failed = runs[self.company_b]
        self.assertEqual(failed.state, "draft")
        self.assertIn("broken chart of company B", failed.message_ids[:1].body)
        self.assertEqual(failed.activity_ids.user_id, self.finance)
        # The job itself did not fail: the scheduler keeps it.
        cron = self.env.ref("municipal_it_lease.ir_cron_it_charge_month")
        self.assertTrue(cron.active)

    def test_a_user_error_is_reported_too(self):
        self.company_b.fiscalyear_lock_date = date(2026, 3, 31)
        with freeze_time("2026-04-10"):
            self._run_cron()
        run = self.env["it.charge.run"].search(
            [("date_from", "=", MARCH), ("company_id", "=", self.company_b.id)]
        )
        self.assertEqual(run.state, "draft")
        self.assertIn("locked", run.message_ids[:1].body)
        self.assertEqual(
            self.env["it.charge.run"]
            .search(
                [
                    ("date_from", "=", MARCH),
                    ("company_id", "=", self.company_c.id),
                ]
            )
            .state,
            "posted",
        )


@tagged("post_install", "-at_install")
class TestUndoIndex(ItChargeCommon):
    """Undo scales: the history's split_from_id is indexed (item 11)."""

    def test_split_from_is_indexed(self):
        self.env.cr.execute(
            """
            SELECT indexdef FROM pg_indexes
             WHERE tablename = 'it_activity_code_assignment'
               AND indexdef LIKE '%%(split_from_id)%%'
            """
        )
        self.assertTrue(self.env.cr.fetchall())


@tagged("post_install", "-at_install")
class TestAccessOnMethods(ItChargeCommon):
    def test_public_methods_answer_true(self):
        self._leased_device("RT-1", 100.0, self.code_school)
        self.assertIs(self.schedule.action_activate(), True)
        run = self._run(MARCH)
        self.assertIs(run.action_compute(), True)
        self.assertIs(run.action_post(), True)
