# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import new_test_user

from .common import ItLeaseCommon


class ItChartCommon(ItLeaseCommon):
    """A Swedish municipality of its own (SEK), whose chart of accounts a
    subclass loads in ``_load_chart``; the charge accounts are then chosen
    from that chart in the settings, as a finance clerk would, and March
    2026 is charged for three devices on two activity codes.

    Rents, worked out by hand (March has 31 days):

    * CH-1 449.00 and CH-2 312.50 a month, on 3200 for the whole month:
      761.50 on 3200;
    * CH-3 275.00 a month on 4100, on lease from 17 March: 15 days,
      275 x 15 / 31 = 133.0645... -> 133.06 on 4100;
    * credit to the IT unit (9100): 761.50 + 133.06 = 894.56.
    """

    counterparty_code = "3"

    @classmethod
    def setup_independent_company(cls, **kwargs):
        sek = cls._enable_currency("SEK")
        sek.rounding = 0.01
        return cls.env["res.company"].create(
            {
                "name": "Exempelby kommun",
                "country_id": cls.env.ref("base.se").id,
                "currency_id": sek.id,
                "company_registry": "2120009999",
            }
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chart()
        cls.expense_account, cls.income_account = cls._charge_accounts()
        cls.journal = cls.env["account.journal"].create(
            {"name": "IT-leasing internt", "code": "ITLT", "type": "general"}
        )
        cls.code_it_unit = cls.env["account.analytic.account"].create(
            {"name": "IT-enheten", "code": "9100", "plan_id": cls.plan.id}
        )
        cls.company.write(
            {
                "it_charge_journal_id": cls.journal.id,
                "it_charge_expense_account_id": cls.expense_account.id,
                "it_charge_income_account_id": cls.income_account.id,
                "it_charge_analytic_account_id": cls.code_it_unit.id,
                "it_charge_counterparty_code": cls.counterparty_code,
            }
        )
        cls.schedule = cls._create_schedule("KB-1", date(2026, 1, 1), 36)
        cls._leased_device("CH-1", 449.0, cls.code_school)
        cls._leased_device("CH-2", 312.5, cls.code_school)
        cls._leased_device("CH-3", 275.0, cls.code_care, date(2026, 3, 17))
        cls.schedule.action_activate()
        cls.finance_user = new_test_user(
            cls.env,
            login="ekonom",
            groups="account.group_account_invoice,"
            "municipal_it_lease.municipal_it_lease_group_user",
        )

    @classmethod
    def _load_chart(cls):
        raise NotImplementedError

    @classmethod
    def _charge_accounts(cls):
        """(internal cost account, internal revenue account) of the chart."""
        raise NotImplementedError

    @classmethod
    def _account(cls, code):
        account = cls.env["account.account"].search(
            [("code", "=", code), ("company_ids", "in", cls.company.id)]
        )
        assert len(account) == 1, f"account {code} of {cls.company.name}: {account}"
        return account

    @classmethod
    def _leased_device(cls, serial, rent, code, date_start=None):
        device = cls._create_device(
            serial, lifecycle_state="in_use", activity_code_id=code.id
        )
        cls.env["it.lease.line"].create(
            {
                "schedule_id": cls.schedule.id,
                "equipment_id": device.id,
                "monthly_rent": rent,
                **({"date_start": date_start} if date_start else {}),
            }
        )
        return device

    def _post_march(self):
        """March 2026 posted by a finance clerk; returns the journal entry."""
        run = (
            self.env["it.charge.run"]
            .with_user(self.finance_user)
            .create({"date_from": date(2026, 3, 1)})
        )
        run.action_post()
        self.assertEqual(run.state, "posted")
        return run.move_id

    def assertChargeOfMarch(self, move):
        """The entry's lines by account and amount, the motpart on every
        line, and Odoo's analytic reporting per activity code and motpart."""
        expense = self.expense_account.code
        income = self.income_account.code
        self.assertEqual(move.company_id, self.company)
        self.assertEqual(move.state, "posted")
        self.assertEqual(
            sorted(
                (line.account_id.code, line.debit, line.credit)
                for line in move.line_ids
            ),
            sorted(
                [
                    (expense, 761.50, 0.0),
                    (expense, 133.06, 0.0),
                    (income, 0.0, 894.56),
                ]
            ),
        )
        self.assertEqual(
            move.line_ids.mapped("it_counterparty_code"), [self.counterparty_code] * 3
        )
        # Journal items grouped by motpart, as the search view's "Group by
        # Counterparty Code" asks: the internal postings net to zero.
        self.assertEqual(
            self.env["account.move.line"]._read_group(
                [("move_id", "=", move.id)],
                groupby=["it_counterparty_code"],
                aggregates=["debit:sum", "credit:sum"],
            ),
            [(self.counterparty_code, 894.56, 894.56)],
        )
        # Odoo's analytic reporting (Analytic Items): costs are negative on
        # the paying activity codes, the revenue positive on the IT unit.
        analytic = self.env["account.analytic.line"]
        domain = [("move_line_id.move_id", "=", move.id)]
        by_code = {
            account.code: amount
            for account, amount in analytic._read_group(
                domain, groupby=[self.plan._column_name()], aggregates=["amount:sum"]
            )
        }
        self.assertEqual(by_code, {"3200": -761.50, "4100": -133.06, "9100": 894.56})
        by_motpart = {
            (motpart, account.code): amount
            for motpart, account, amount in analytic._read_group(
                domain,
                groupby=["it_counterparty_code", "general_account_id"],
                aggregates=["amount:sum"],
            )
        }
        self.assertEqual(
            by_motpart,
            {
                (self.counterparty_code, expense): -894.56,
                (self.counterparty_code, income): 894.56,
            },
        )
