# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A clerk's month in a real browser (headless Chromium): each tour is what
an IT administrator or a finance clerk does, and the database is checked
afterwards. A missing browser fails these tests: it never skips them."""

import logging
import unittest
from datetime import date

from odoo.tests import HttpCase, tagged

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.company.currency_id.rounding = 0.01
        cls.plan = env["account.analytic.plan"].create({"name": "Tour plan"})
        cls.company.it_activity_code_plan_id = cls.plan
        cls.code = env["account.analytic.account"].create(
            {"name": "Tour school", "code": "3200", "plan_id": cls.plan.id}
        )
        unit = env["account.analytic.account"].create(
            {"name": "Tour IT unit", "code": "9100", "plan_id": cls.plan.id}
        )
        expense, income = env["account.account"].create(
            [
                {"name": "Tour hyra", "code": "635277", "account_type": "expense"},
                {
                    "name": "Tour intäkt",
                    "code": "369177",
                    "account_type": "income_other",
                },
            ]
        )
        journal = env["account.journal"].create(
            {"name": "Tour IT", "code": "TOUR", "type": "general"}
        )
        cls.company.write(
            {
                "it_charge_journal_id": journal.id,
                "it_charge_expense_account_id": expense.id,
                "it_charge_income_account_id": income.id,
                "it_charge_analytic_account_id": unit.id,
            }
        )
        cls.lessor = env["res.partner"].create(
            {"name": "Tour Lessor AB", "is_company": True}
        )
        agreement = env["it.lease.agreement"].create(
            {"name": "TOUR-MA", "lessor_id": cls.lessor.id}
        )

        def leased(schedule, serial, rent):
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
            return device

        Schedule = env["it.lease.schedule"]
        cls.ending = Schedule.create(
            {
                "name": "TOUR-END",
                "agreement_id": agreement.id,
                "date_start": date(2023, 6, 1),
                "term_months": 36,
            }
        )
        leased(cls.ending, "TOUR-END-1", 300.0)
        leased(cls.ending, "TOUR-END-2", 200.0)
        cls.ending.action_activate()
        cls.annex = Schedule.create(
            {
                "name": "TOUR-S1",
                "lessor_reference": "TOUR-ANNEX",
                "agreement_id": agreement.id,
                "date_start": date(2025, 1, 1),
                "term_months": 36,
            }
        )
        leased(cls.annex, "TOUR-REC-1", 500.0)
        leased(cls.annex, "TOUR-REC-2", 400.0)
        cls.annex.action_activate()

    def _tour(self, name):
        try:
            self.start_tour("/odoo", name, login="admin", timeout=180)
        except unittest.SkipTest as skipped:
            # Odoo skips browser tests without a browser: here that is a
            # failure, the tours are part of the suite.
            self.fail(f"Tour {name} could not run: {skipped}")
        _logger.info("Tour ran: %s", name)

    def test_register_a_device_in_use_on_an_activity_code(self):
        self._tour("municipal_it_lease_register_device")
        device = self.env["maintenance.equipment"].search(
            [("serial_no", "=", "TOUR-SN-1")]
        )
        self.assertEqual(device.name, "Laptop TOUR-1")
        self.assertEqual(device.lifecycle_state, "in_use")
        self.assertEqual(device.activity_code_id, self.code)
        self.assertEqual(device.activity_code_history_ids.activity_code_id, self.code)

    def test_decide_a_lease_end(self):
        self._tour("municipal_it_lease_decide_lease_end")
        self.assertEqual(set(self.ending.line_ids.mapped("end_decision")), {"return"})
        self.assertTrue(
            all(self.ending.line_ids.equipment_id.mapped("return_requested"))
        )

    def test_compute_and_post_a_month(self):
        self.env["it.charge.run"].create({"date_from": date(2026, 3, 1)})
        self._tour("municipal_it_lease_post_month")
        run = self.env["it.charge.run"].search([("date_from", "=", date(2026, 3, 1))])
        self.assertEqual(run.state, "posted")
        # March 2026: the ending schedule runs on (300 + 200) and the annex
        # charges 500 + 400: 1,400.00 in all, one journal entry.
        self.assertEqual(run.amount_total, 1400.0)
        self.assertEqual(run.move_id.state, "posted")
        self.assertEqual(run.move_id.amount_total, 1400.0)

    def test_import_a_lessor_file(self):
        self._tour("municipal_it_lease_import_specification")
        reconciliation = self.env["it.lease.reconciliation"].search(
            [("lessor_id", "=", self.lessor.id)]
        )
        self.assertEqual(reconciliation.date_from, date(2026, 3, 1))
        # REC-1 invoiced 500.00 as expected; REC-2 450.00 against 400.00.
        self.assertEqual(
            (reconciliation.matched_count, reconciliation.amount_differs_count),
            (1, 1),
        )
