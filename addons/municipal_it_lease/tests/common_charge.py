# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager
from datetime import date

from odoo.exceptions import UserError

from .common import ItLeaseCommon


class ItChargeCommon(ItLeaseCommon):
    """A municipality set up for monthly charging: accounts chosen in the
    settings, a charge journal, and an IT unit analytic account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.currency_id.rounding = 0.01
        cls.expense_account, cls.income_account = cls.env["account.account"].create(
            [
                {"name": "Intern hyra IT", "code": "635201", "account_type": "expense"},
                {
                    "name": "Interna intäkter IT",
                    "code": "369101",
                    "account_type": "income_other",
                },
            ]
        )
        cls.journal = cls.env["account.journal"].create(
            {"name": "IT-leasing internt", "code": "ITLT", "type": "general"}
        )
        cls.code_it_unit = cls.env["account.analytic.account"].create(
            {"name": "IT-enheten", "code": "9100", "plan_id": cls.plan.id}
        )
        cls.company.write(cls._charge_settings())
        cls.schedule = cls._create_schedule("CH-1", date(2025, 1, 1), 36)
        cls.Run = cls.env["it.charge.run"]

    @classmethod
    def _charge_settings(cls):
        return {
            "it_charge_journal_id": cls.journal.id,
            "it_charge_expense_account_id": cls.expense_account.id,
            "it_charge_income_account_id": cls.income_account.id,
            "it_charge_analytic_account_id": cls.code_it_unit.id,
            "it_charge_counterparty_code": "2",
            "it_charge_day": 25,
            "it_charge_month": "previous",
        }

    @classmethod
    def _leased_device(
        cls, serial, rent, code=None, schedule=None, date_start=None, date_end=None
    ):
        """A device in use on ``code`` and on a lease line of ``schedule``."""
        values = {"lifecycle_state": "in_stock"}
        if code is not None:
            values = {"lifecycle_state": "in_use", "activity_code_id": code.id}
        device = cls._create_device(serial, **values)
        line_values = {
            "schedule_id": (schedule or cls.schedule).id,
            "equipment_id": device.id,
            "monthly_rent": rent,
        }
        if date_start:
            line_values["date_start"] = date_start
        if date_end:
            line_values["date_end"] = date_end
        cls.env["it.lease.line"].create(line_values)
        return device

    def _run(self, month):
        return self.Run.create({"date_from": month})

    def _charged(self, run, device):
        """What ``device`` is charged in ``run``, per activity code."""
        return {
            line.activity_code_id.code: line.amount
            for line in run.line_ids.filtered(lambda line: line.equipment_id == device)
        }

    @contextmanager
    def assertUserErrorRollsBack(self, regex):
        """Expect a UserError matching ``regex`` and undo what the failed call
        wrote, as the transaction of a real request or cron call is undone."""
        with self.assertRaises(UserError) as caught:
            yield
        self.assertRegex(str(caught.exception), regex)
