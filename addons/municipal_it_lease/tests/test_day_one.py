# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Day one of a municipality: a Swedish company, analytic accounting on,
finance reading the charge entry where it reads every entry, no button that
can only refuse, and the set-up checklist."""

from datetime import date
from unittest.mock import patch

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.municipal_it_lease import hooks

from .common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestDayOne(ItChargeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="day_one_clerk",
            name="Ekonomen Eva",
            groups="account.group_account_invoice",
        )
        cls.device = cls._leased_device("DAY-1", 400.0, cls.code_school)
        cls.schedule.action_activate()

    def _posted_run(self):
        run = self._run(date(2025, 3, 1))
        run.action_compute()
        run.action_post()
        self.assertEqual(run.state, "posted")
        return run

    def test_finance_clerk_reads_the_charge_entry_lines(self):
        run = self._posted_run()
        move = run.move_id.with_user(self.clerk)
        # Odoo's own entry form shows the clerk its Journal Items tab, with
        # the account and the analytic distribution of each line.
        arch = etree.fromstring(
            move.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        tab = arch.xpath("//page[@name='aml_tab']")
        self.assertTrue(tab, "the Journal Items tab is hidden from the clerk")
        columns = tab[0].xpath(".//field[@name='line_ids']/list/field/@name")
        self.assertIn("account_id", columns)
        self.assertIn("analytic_distribution", columns)
        # And Odoo's Journal Items list finds them: 400.00 to the school's
        # code on the cost account, 400.00 to the IT unit on the revenue one.
        lines = (
            self.env["account.move.line"]
            .with_user(self.clerk)
            .search_read(
                [("move_id", "=", move.id)],
                ["account_id", "debit", "credit", "analytic_distribution"]
                + ["it_counterparty_code"],
                order="debit desc",
            )
        )
        self.assertEqual(
            [
                (
                    line["account_id"][0],
                    line["debit"],
                    line["credit"],
                    line["analytic_distribution"],
                    line["it_counterparty_code"],
                )
                for line in lines
            ],
            [
                (
                    self.expense_account.id,
                    400.0,
                    0.0,
                    {str(self.code_school.id): 100.0},
                    "2",
                ),
                (
                    self.income_account.id,
                    0.0,
                    400.0,
                    {str(self.code_it_unit.id): 100.0},
                    "2",
                ),
            ],
        )

    def test_no_reset_to_draft_on_a_posted_charge_entry(self):
        run = self._posted_run()
        self.assertFalse(run.move_id.show_reset_to_draft_button)
        # An ordinary posted entry still offers it.
        other = self.env["account.move"].create(
            {
                "journal_id": self.journal.id,
                "line_ids": [
                    (0, 0, {"account_id": self.expense_account.id, "debit": 10.0}),
                    (0, 0, {"account_id": self.income_account.id, "credit": 10.0}),
                ],
            }
        )
        other.action_post()
        self.assertTrue(other.show_reset_to_draft_button)

    def test_the_month_charged_defaults_to_last_month(self):
        with patch.object(fields.Date, "context_today", return_value=date(2026, 1, 14)):
            self.assertEqual(self.Run.new({}).date_from, date(2025, 12, 1))

    def test_finance_reads_without_editing_analytic_accounts(self):
        # The activity codes are shown, not handed over: the clerk reads the
        # analytic accounts but cannot change them (Odoo's Analytic
        # Accounting group would let every user edit every plan).
        self.assertFalse(self.clerk.has_group("analytic.group_analytic_accounting"))
        Account = self.env["account.analytic.account"].with_user(self.clerk)
        self.assertTrue(Account.browse(self.code_school.id).name)
        with self.assertRaises(AccessError):
            Account.browse(self.code_school.id).write({"name": "Other"})


@tagged("post_install", "-at_install")
class TestSwedishChart(ItChargeCommon):
    def test_a_new_company_without_chart_gets_the_swedish_chart(self):
        company = self.env["res.company"].create({"name": "Nya kommunen"})
        self.assertFalse(company.chart_template)
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        registry = env.registry
        pending = getattr(registry, "_auto_install_template", None)
        try:
            hooks._load_swedish_chart(env)
            self.assertEqual(company.country_id, self.env.ref("base.se"))
            registry._auto_install_template(env)
        finally:
            if pending is None:
                del registry._auto_install_template
            else:
                registry._auto_install_template = pending
        self.assertEqual(company.chart_template, "se")
        self.assertEqual(company.currency_id, self.env.ref("base.SEK"))
        self.assertEqual(company.account_purchase_tax_id.amount, 25.0)

    def test_a_company_of_another_country_is_left_alone(self):
        company = self.env["res.company"].create(
            {"name": "Norska kommunen", "country_id": self.env.ref("base.no").id}
        )
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        pending = getattr(env.registry, "_auto_install_template", None)
        hooks._load_swedish_chart(env)
        self.assertIs(getattr(env.registry, "_auto_install_template", None), pending)
        self.assertEqual(company.country_id, self.env.ref("base.no"))


@tagged("post_install", "-at_install")
class TestSetupChecklist(ItChargeCommon):
    def _states(self, company=None):
        steps = (
            self.env["onboarding.onboarding.step"]
            .with_user(self.it_manager)
            .with_company(company or self.company)
            .search([("it_setup_key", "!=", False)])
        )
        return {step.it_setup_key: step.it_setup_state for step in steps}

    def test_steps_are_done_when_their_data_is_there(self):
        self.company.company_registry = False
        states = self._states()
        self.assertEqual(states["company"], "todo")
        # The charge settings, the activity codes and the lease agreement
        # of the test company are there.
        self.assertEqual(states["charging"], "done")
        self.assertEqual(states["activity_codes"], "done")
        self.assertEqual(states["month"], "todo")
        self.company.company_registry = "212000-0001"
        self._leased_device("DAY-2", 100.0, self.code_school)
        self.schedule.action_activate()
        run = self._run(date(2025, 3, 1))
        run.action_compute()
        run.action_post()
        states = self._states()
        self.assertEqual((states["company"], states["month"]), ("done", "done"))

    def test_each_step_opens_its_screen(self):
        steps = (
            self.env["onboarding.onboarding.step"]
            .with_user(self.it_manager)
            .search([("it_setup_key", "!=", False)])
        )
        self.assertGreaterEqual(len(steps), 6)
        for step in steps.filtered(lambda step: step.it_setup_state != "not_installed"):
            action = step.action_open_it_setup_step()
            self.assertTrue(action.get("res_model"), step.it_setup_key)

    def test_the_checklist_is_for_it_managers(self):
        with self.assertRaises(AccessError):
            self.env["onboarding.onboarding.step"].with_user(
                self.it_user
            ).action_open_it_setup()
        # The app opens the checklist for a manager while steps are to do,
        # the register for everyone else.
        home = self.env["onboarding.onboarding.step"]
        self.assertEqual(
            home.with_user(self.it_user).action_open_it_home()["res_model"],
            "maintenance.equipment",
        )
        self.company.company_registry = False
        self.assertEqual(
            home.with_user(self.it_manager).action_open_it_home()["res_model"],
            "onboarding.onboarding.step",
        )

    def test_every_it_user_sees_the_app(self):
        """Odoo shows a menu only to users who can read its action's model:
        the app's menu opens for an IT Leasing user who is no manager, and
        its action runs for them."""
        root = self.env.ref("municipal_it_lease.municipal_it_lease_menu_root")
        for user in (self.it_user, self.it_manager):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(root.id, visible, user.login)
        action = root.action.with_user(self.it_user).run()
        self.assertEqual(action["res_model"], "maintenance.equipment")
