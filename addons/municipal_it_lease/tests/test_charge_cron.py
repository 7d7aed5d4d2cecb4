# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestChargeCron(ItChargeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._leased_device("CR-A", 500.0, cls.code_school)
        cls.schedule.action_activate()
        # A second municipality with its own plan, codes, accounts and lease.
        cls.company_b = cls.env["res.company"].create({"name": "Kommun B"})
        cls.company_b.currency_id.rounding = 0.01
        env_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids)
        )
        plan_b = env_b["account.analytic.plan"].create({"name": "Verksamheter B"})
        code_b, it_b = env_b["account.analytic.account"].create(
            [
                {"name": "Skola B", "code": "B-3200", "plan_id": plan_b.id},
                {"name": "IT B", "code": "B-9100", "plan_id": plan_b.id},
            ]
        )
        expense_b, income_b = env_b["account.account"].create(
            [
                {"name": "Hyra B", "code": "635299", "account_type": "expense"},
                {"name": "Intäkt B", "code": "369199", "account_type": "income_other"},
            ]
        )
        journal_b = env_b["account.journal"].create(
            {"name": "IT B", "code": "ITB", "type": "general"}
        )
        cls.company_b.write(
            {
                "it_activity_code_plan_id": plan_b.id,
                "it_charge_journal_id": journal_b.id,
                "it_charge_expense_account_id": expense_b.id,
                "it_charge_income_account_id": income_b.id,
                "it_charge_analytic_account_id": it_b.id,
                "it_charge_day": 5,
            }
        )
        lessor_b = env_b["res.partner"].create({"name": "Lessor B"})
        agreement_b = env_b["it.lease.agreement"].create(
            {"name": "MA-B", "lessor_id": lessor_b.id}
        )
        schedule_b = env_b["it.lease.schedule"].create(
            {
                "name": "B-1",
                "agreement_id": agreement_b.id,
                "date_start": date(2025, 6, 1),
            }
        )
        device_b = env_b["maintenance.equipment"].create(
            {
                "name": "Laptop B",
                "serial_no": "CR-B",
                "activity_code_id": code_b.id,
                "lifecycle_state": "in_use",
            }
        )
        env_b["it.lease.line"].create(
            {
                "schedule_id": schedule_b.id,
                "equipment_id": device_b.id,
                "monthly_rent": 300.0,
            }
        )
        schedule_b.action_activate()

    def _run_cron_until_done(self):
        """Call the job as the scheduler does: again while it reports work left."""
        Run = self.env["it.charge.run"]
        for _call in range(10):
            if not Run._get_companies_due(date.today()):
                return
            Run._cron_charge_month()
        self.fail("the charge job did not finish in 10 calls")

    @freeze_time("2026-04-25")
    def test_cron_posts_the_previous_month_for_two_companies(self):
        self._run_cron_until_done()
        runs = self.env["it.charge.run"].search(
            [("company_id", "in", (self.company | self.company_b).ids)]
        )
        self.assertEqual(runs.company_id, self.company | self.company_b)
        self.assertEqual(set(runs.mapped("date_from")), {date(2026, 3, 1)})
        self.assertEqual(set(runs.mapped("state")), {"posted"})
        totals = {run.company_id: run.move_id.amount_total for run in runs}
        self.assertEqual(totals, {self.company: 500.0, self.company_b: 300.0})
        # Running the job again the same day creates nothing new.
        self.env["it.charge.run"]._cron_charge_month()
        self.assertEqual(
            self.env["it.charge.run"].search_count(
                [("company_id", "in", (self.company | self.company_b).ids)]
            ),
            2,
        )

    @freeze_time("2026-04-24")
    def test_cron_waits_for_the_charge_day(self):
        # Company B's day (5th) has come, company A's (25th) not yet.
        self._run_cron_until_done()
        runs = self.env["it.charge.run"].search(
            [("company_id", "in", (self.company | self.company_b).ids)]
        )
        self.assertEqual(runs.company_id, self.company_b)

    @freeze_time("2026-04-25")
    def test_cron_leaves_a_blocked_run_in_draft_and_goes_on(self):
        self._leased_device("CR-NOCODE", 100.0)
        self._run_cron_until_done()
        run_a = self.env["it.charge.run"].search([("company_id", "=", self.company.id)])
        run_b = self.env["it.charge.run"].search(
            [("company_id", "=", self.company_b.id)]
        )
        self.assertEqual(run_a.state, "draft")
        self.assertFalse(run_a.move_id)
        self.assertEqual(run_a.missing_code_count, 1)
        self.assertIn("CR-NOCODE", run_a.message_ids[0].body)
        self.assertEqual(run_b.state, "posted")
