# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Day one in a real browser (headless Chromium): a finance clerk with
Accounting ▸ Invoicing only posts last month and reads the charge entry's
lines in Odoo's own journal entry form. A missing browser fails the test: it
never skips it."""

import logging
import unittest
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestToursDayOne(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = env.company
        company.currency_id.rounding = 0.01
        plan = env["account.analytic.plan"].create({"name": "Tour plan"})
        company.it_activity_code_plan_id = plan
        cls.code = env["account.analytic.account"].create(
            {"name": "Tour school", "code": "3200", "plan_id": plan.id}
        )
        cls.unit = env["account.analytic.account"].create(
            {"name": "Tour IT unit", "code": "9100", "plan_id": plan.id}
        )
        cls.expense, cls.income = env["account.account"].create(
            [
                {"name": "Tour hyra", "code": "635278", "account_type": "expense"},
                {
                    "name": "Tour intäkt",
                    "code": "369178",
                    "account_type": "income_other",
                },
            ]
        )
        journal = env["account.journal"].create(
            {"name": "Tour IT day one", "code": "TDO", "type": "general"}
        )
        company.write(
            {
                "it_charge_journal_id": journal.id,
                "it_charge_expense_account_id": cls.expense.id,
                "it_charge_income_account_id": cls.income.id,
                "it_charge_analytic_account_id": cls.unit.id,
            }
        )
        lessor = env["res.partner"].create(
            {"name": "Tour Day One Lessor AB", "is_company": True}
        )
        agreement = env["it.lease.agreement"].create(
            {"name": "TOUR-DAY-ONE", "lessor_id": lessor.id}
        )
        schedule = env["it.lease.schedule"].create(
            {
                "name": "TOUR-DAY-ONE-S1",
                "agreement_id": agreement.id,
                "date_start": date(2025, 1, 1),
                "term_months": 60,
            }
        )
        for serial, rent in (("TOUR-D1-1", 500.0), ("TOUR-D1-2", 400.0)):
            device = env["maintenance.equipment"].create(
                {
                    "name": f"Laptop {serial}",
                    "serial_no": serial,
                    "lifecycle_state": "in_use",
                    "activity_code_id": cls.code.id,
                }
            )
            env["it.lease.line"].create(
                {
                    "schedule_id": schedule.id,
                    "equipment_id": device.id,
                    "monthly_rent": rent,
                }
            )
        schedule.action_activate()
        cls.clerk = new_test_user(
            env,
            login="tour_finance_clerk",
            name="Ekonomen Eva",
            groups="base.group_user,account.group_account_invoice",
        )

    def test_finance_clerk_posts_a_month_and_reads_its_entry(self):
        tour = "municipal_it_lease_day_one_finance"
        try:
            self.start_tour("/odoo", tour, login=self.clerk.login, timeout=180)
        except unittest.SkipTest as skipped:
            self.fail(f"Tour {tour} could not run: {skipped}")
        _logger.info("Tour ran: %s", tour)
        last_month = fields.Date.today().replace(day=1) - relativedelta(months=1)
        run = self.env["it.charge.run"].search([("date_from", "=", last_month)])
        self.assertEqual(run.state, "posted")
        self.assertEqual(run.create_uid, self.clerk)
        # Two devices in use all month: 500.00 + 400.00.
        self.assertEqual(run.move_id.amount_total, 900.0)
        self.assertEqual(
            sorted(run.move_id.line_ids.mapped(lambda line: (line.debit, line.credit))),
            [(0.0, 900.0), (900.0, 0.0)],
        )
