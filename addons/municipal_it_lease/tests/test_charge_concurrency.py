# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import closing
from datetime import date

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

    def _charge(self, cr):
        """What a cron worker or a user does: create the month's run, post it."""
        env = api.Environment(cr, SUPERUSER_ID, {})
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

    def test_two_transactions_post_exactly_one_move(self):
        with closing(self.db.cursor()) as cr_a, closing(self.db.cursor()) as cr_b:
            run_a = self._charge(cr_a)
            self.assertEqual(run_a.state, "posted")
            # B arrives while A has not committed: refused at once, no wait.
            with self.assertRaisesRegex(UserError, "being run by another user"):
                self._charge(cr_b)
            cr_b.rollback()
            cr_a.commit()
            # B tries again after A committed: the month is taken.
            with self.assertRaisesRegex(UserError, "already has a charge run"):
                self._charge(cr_b)
            cr_b.rollback()
        self.assertEqual(self._count_moves(), 1)

    def test_click_on_post_while_the_job_posts(self):
        with closing(self.db.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run_id = (
                env["it.charge.run"]
                .create({"company_id": self.company.id, "date_from": MONTH})
                .id
            )
            # Committed: the job's and the click's connections must see the run.
            cr.commit()  # pylint: disable=invalid-commit
        with closing(self.db.cursor()) as cr_job, closing(self.db.cursor()) as cr_click:
            job_env = api.Environment(cr_job, SUPERUSER_ID, {})
            job_env["it.charge.run"].browse(run_id).action_post()
            click_env = api.Environment(cr_click, SUPERUSER_ID, {})
            with self.assertRaisesRegex(UserError, "being run by another user"):
                click_env["it.charge.run"].browse(run_id).action_post()
            cr_click.rollback()
            cr_job.commit()
            click_env.invalidate_all()
            with self.assertRaisesRegex(UserError, "already posted"):
                click_env["it.charge.run"].browse(run_id).action_post()
            cr_click.rollback()
        self.assertEqual(self._count_moves(), 1)
