# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import threading
from contextlib import closing
from datetime import date

import psycopg2

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged

# A month no other test charges.
MONTH = date(2031, 7, 1)


@tagged("post_install", "-at_install")
class TestChargeConcurrency(BaseCase):
    """Two transactions, as two cron workers or a click during the cron, race
    to charge the same company and month: exactly one journal entry results.

    The fixture must be committed for a second connection to see it, so this
    test commits through its own connections and deletes what it made.
    """

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env_dbname())
        with closing(self.db.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.company = env.ref("base.main_company")
            self.saved_settings = self.company.read(self._setting_names())[0]
            self.fixture = self._make_fixture(env)
            self.cron_id = env.ref("municipal_it_lease.ir_cron_it_charge_month").id
            # Committed: the racing connections must see the fixture.
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._cleanup)

    def env_dbname(self):
        from odoo.tests.common import get_db_name

        return get_db_name()

    def _setting_names(self):
        return [
            "it_charge_journal_id",
            "it_charge_expense_account_id",
            "it_charge_income_account_id",
            "it_charge_analytic_account_id",
        ]

    def _make_fixture(self, env):
        company = env.ref("base.main_company")
        plan = company.it_activity_code_plan_id
        code = env["account.analytic.account"].create(
            {"name": "Race code", "code": "RACE-1", "plan_id": plan.id}
        )
        expense, income = env["account.account"].create(
            [
                {"name": "Race cost", "code": "635277", "account_type": "expense"},
                {
                    "name": "Race revenue",
                    "code": "369177",
                    "account_type": "income_other",
                },
            ]
        )
        journal = env["account.journal"].create(
            {"name": "Race journal", "code": "RACE", "type": "general"}
        )
        company.write(
            {
                "it_charge_journal_id": journal.id,
                "it_charge_expense_account_id": expense.id,
                "it_charge_income_account_id": income.id,
                "it_charge_analytic_account_id": code.id,
            }
        )
        lessor = env["res.partner"].create({"name": "Race Lessor"})
        agreement = env["it.lease.agreement"].create(
            {"name": "RACE-MA", "lessor_id": lessor.id}
        )
        schedule = env["it.lease.schedule"].create(
            {"name": "RACE-S", "agreement_id": agreement.id, "date_start": MONTH}
        )
        device = env["maintenance.equipment"].create(
            {
                "name": "Race laptop",
                "serial_no": "RACE-SN-1",
                "activity_code_id": code.id,
                "lifecycle_state": "in_use",
            }
        )
        env["it.lease.line"].create(
            {
                "schedule_id": schedule.id,
                "equipment_id": device.id,
                "monthly_rent": 300.0,
            }
        )
        schedule.action_activate()
        return {
            "code": code.id,
            "accounts": [expense.id, income.id],
            "journal": journal.id,
            "partner": lessor.id,
            "agreement": agreement.id,
            "schedule": schedule.id,
            "device": device.id,
        }

    def _cleanup(self):
        fixture = self.fixture
        with closing(self.db.cursor()) as cr:
            cr.execute(
                "SELECT id FROM account_move WHERE journal_id = %s",
                [fixture["journal"]],
            )
            move_ids = [row[0] for row in cr.fetchall()]
            statements = [
                (
                    (
                        "UPDATE it_charge_run SET move_id = NULL"
                        " WHERE company_id = %s AND date_from = %s"
                    ),
                    [self.company.id, MONTH],
                ),
                (
                    (
                        "DELETE FROM account_analytic_line WHERE move_line_id IN"
                        " (SELECT id FROM account_move_line WHERE move_id = ANY(%s))"
                    ),
                    [move_ids],
                ),
                ("DELETE FROM account_move_line WHERE move_id = ANY(%s)", [move_ids]),
                ("DELETE FROM account_move WHERE id = ANY(%s)", [move_ids]),
                (
                    "DELETE FROM it_charge_run WHERE company_id = %s AND date_from = %s",
                    [self.company.id, MONTH],
                ),
                (
                    "DELETE FROM it_lease_line WHERE schedule_id = %s",
                    [fixture["schedule"]],
                ),
                ("DELETE FROM it_lease_schedule WHERE id = %s", [fixture["schedule"]]),
                (
                    "DELETE FROM it_lease_agreement WHERE id = %s",
                    [fixture["agreement"]],
                ),
                (
                    "DELETE FROM maintenance_equipment WHERE id = %s",
                    [fixture["device"]],
                ),
                ("DELETE FROM res_partner WHERE id = %s", [fixture["partner"]]),
            ]
            statements += [
                ("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [self.cron_id]),
                (
                    "UPDATE res_company SET it_charge_cron_date = NULL WHERE id = %s",
                    [self.company.id],
                ),
            ]
            for query, params in statements:
                cr.execute(query, params)
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].browse(self.company.id)
            company.write(
                {
                    name: value and value[0]
                    for name, value in self.saved_settings.items()
                    if name != "id"
                }
            )
            env["account.journal"].browse(fixture["journal"]).unlink()
            env["account.account"].browse(fixture["accounts"]).unlink()
            env["account.analytic.account"].browse(fixture["code"]).unlink()
            # Committed: undoes the committed fixture.
            cr.commit()  # pylint: disable=invalid-commit

    def _charge(self, env):
        """What a cron worker or a user does: create the month's run, post it."""
        run = env["it.charge.run"].create(
            {"company_id": self.company.id, "date_from": MONTH}
        )
        run.action_post()
        return run

    def _count_moves(self):
        with closing(self.db.cursor()) as cr:
            cr.execute(
                "SELECT COUNT(*) FROM account_move WHERE journal_id = %s AND state = 'posted'",
                [self.fixture["journal"]],
            )
            return cr.fetchone()[0]

    def _in_thread(self, func, cr):
        """Run ``func(env)`` on ``cr`` in a thread of its own, as a second
        worker would; the thread is returned started, its outcome in
        ``thread.outcome``. The environment is made here: the test runner
        holds the registry's lock, which making one in a thread would wait
        for."""
        env = api.Environment(cr, SUPERUSER_ID, {})

        def target():
            try:
                thread.outcome = (func(env), None)
            except Exception as error:  # noqa: BLE001 - the test reads it
                thread.outcome = (None, error)

        thread = threading.Thread(target=target)
        thread.outcome = None
        thread.start()
        self.addCleanup(thread.join, 60)
        return thread

    def _assert_waits(self, thread):
        thread.join(1.0)
        self.assertTrue(thread.is_alive(), "the second worker did not wait")

    def _assert_retried(self, thread):
        """The second worker, once the first committed, is told that what it
        read is out of date: Odoo runs its request again."""
        thread.join(60)
        self.assertFalse(thread.is_alive())
        self.assertIsInstance(thread.outcome[1], psycopg2.errors.SerializationFailure)

    def _job(self, env):
        """One run of the scheduled job for the fixture's company and month,
        in a transaction of its own."""
        env.invalidate_all()
        return env["it.charge.run"]._charge_company_month(
            env["res.company"].browse(self.company.id), MONTH, date.today()
        )

    def _count_triggers(self):
        with closing(self.db.cursor()) as cr:
            cr.execute(
                "SELECT COUNT(*) FROM ir_cron_trigger WHERE cron_id = %s",
                [self.cron_id],
            )
            return cr.fetchone()[0]

    def test_two_transactions_post_exactly_one_move(self):
        with closing(self.db.cursor()) as cr_a, closing(self.db.cursor()) as cr_b:
            cr_b.execute("SELECT 1")  # B has begun: its snapshot is taken
            run_a = self._charge(api.Environment(cr_a, SUPERUSER_ID, {}))
            self.assertEqual(run_a.state, "posted")
            # B arrives while A has not committed: it waits for A.
            second = self._in_thread(self._charge, cr_b)
            self._assert_waits(second)
            cr_a.commit()
            self._assert_retried(second)
            cr_b.rollback()
            # B run again (as Odoo does): the month is taken.
            with self.assertRaisesRegex(UserError, "already has a charge run"):
                self._charge(api.Environment(cr_b, SUPERUSER_ID, {}))
            cr_b.rollback()
        self.assertEqual(self._count_moves(), 1)

    def test_click_on_post_while_the_job_posts(self):
        run_id = self._create_committed_run()
        with closing(self.db.cursor()) as cr_job, closing(self.db.cursor()) as cr_click:
            cr_click.execute("SELECT 1")
            job_env = api.Environment(cr_job, SUPERUSER_ID, {})
            job_env["it.charge.run"].browse(run_id).action_post()

            def click(env):
                return env["it.charge.run"].browse(run_id).action_post()

            clicked = self._in_thread(click, cr_click)
            self._assert_waits(clicked)
            cr_job.commit()
            self._assert_retried(clicked)
            cr_click.rollback()
            with self.assertRaisesRegex(UserError, "already posted"):
                click(api.Environment(cr_click, SUPERUSER_ID, {}))
            cr_click.rollback()
        self.assertEqual(self._count_moves(), 1)

    def _create_committed_run(self):
        with closing(self.db.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run_id = (
                env["it.charge.run"]
                .create({"company_id": self.company.id, "date_from": MONTH})
                .id
            )
            # Committed: the job's and the click's connections must see the run.
            cr.commit()  # pylint: disable=invalid-commit
        return run_id

    def test_job_after_a_user_created_the_month(self):
        """The job began before a user created the month's run (issue 25 item
        12): it neither trips over that run nor leaves the month uncharged."""
        with closing(self.db.cursor()) as cr_job:
            cr_job.execute("SELECT 1")  # the job has begun
            self._create_committed_run()
            self.assertFalse(self._job(api.Environment(cr_job, SUPERUSER_ID, {})))
            # It asked the scheduler to run it again, and marked nothing.
            cr_job.commit()
            self.assertEqual(self._count_triggers(), 1)
            self.assertEqual(self._count_moves(), 0)
            # The scheduler runs it again: it posts the user's run.
            run = self._job(api.Environment(cr_job, SUPERUSER_ID, {}))
            self.assertEqual(run.state, "posted")
            cr_job.commit()
        self.assertEqual(self._count_moves(), 1)

    def test_job_waits_for_a_user_posting_and_finds_the_month_posted(self):
        run_id = self._create_committed_run()
        with closing(self.db.cursor()) as cr_user, closing(self.db.cursor()) as cr_job:
            cr_job.execute("SELECT 1")
            user_env = api.Environment(cr_user, SUPERUSER_ID, {})
            user_env["it.charge.run"].browse(run_id).action_post()
            job = self._in_thread(self._job, cr_job)
            self._assert_waits(job)
            cr_user.commit()
            job.join(60)
            # Told its snapshot is out of date, it posts nothing now.
            self.assertIsNone(job.outcome[1])
            self.assertFalse(job.outcome[0])
            cr_job.commit()
            self.assertEqual(self._count_triggers(), 1)
            # Run again, the job finds the month posted and posts nothing.
            self.assertEqual(
                self._job(api.Environment(cr_job, SUPERUSER_ID, {})).id, run_id
            )
            cr_job.commit()
        self.assertEqual(self._count_moves(), 1)
