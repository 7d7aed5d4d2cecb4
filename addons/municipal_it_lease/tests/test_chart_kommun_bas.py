# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user, tagged

from .common_chart import ItChartCommon

CSV_OPTIONS = {"quoting": '"', "separator": ",", "has_headers": True}

# Kommun-Bas 13 groups as SKR names them (63, 68; class 3 revenue). The
# account numbers below them are illustrative: each municipality chooses its
# own sub-accounts, and these are not copied from a published chart.
GROUPS_CSV = """code_prefix_start,name
3,Verksamhetens intäkter
63,Hyra/Leasing av anläggningstillgångar
68,"Tele-, IT-kommunikation"
"""
ACCOUNTS_CSV = """code,name,account_type
3690,Interna intäkter IT,income
6310,Hyra/leasing av datorer,expense
6830,Datakommunikation,expense
"""


@tagged("post_install", "-at_install")
class TestChartKommunBas(ItChartCommon):
    """A municipality without a standard chart whose finance clerk imports
    Kommun-Bas accounts with Odoo's import (Favorites ▸ Import records); the
    charge accounts are chosen from them and a month is posted unchanged."""

    counterparty_code = "2"

    @classmethod
    def _load_chart(cls):
        clerk = new_test_user(
            cls.env, login="redovisning", groups="account.group_account_manager"
        )
        cls.imported = {
            model: cls._import(clerk, model, content)
            for model, content in (
                ("account.group", GROUPS_CSV),
                ("account.account", ACCOUNTS_CSV),
            )
        }

    @classmethod
    def _import(cls, user, model, content):
        header = content.splitlines()[0].split(",")
        importer = (
            cls.env["base_import.import"]
            .with_user(user)
            .create(
                {
                    "res_model": model,
                    "file": content.encode(),
                    "file_type": "text/csv",
                    "file_name": f"kommun-bas-{model}.csv",
                }
            )
        )
        return importer.execute_import(header, header, dict(CSV_OPTIONS))

    @classmethod
    def _charge_accounts(cls):
        return cls._account("6310"), cls._account("3690")

    def test_accounts_imported_under_their_groups(self):
        for model, result in self.imported.items():
            self.assertEqual(result["messages"], [], model)
            self.assertEqual(len(result["ids"]), 3, model)
        self.assertFalse(self.company.chart_template)
        self.assertEqual(
            {
                code: (account.group_id.code_prefix_start, account.account_type)
                for code in ("3690", "6310", "6830")
                for account in self._account(code)
            },
            {
                "3690": ("3", "income"),
                "6310": ("63", "expense"),
                "6830": ("68", "expense"),
            },
        )
        self.assertEqual(
            self.expense_account.group_id.name, "Hyra/Leasing av anläggningstillgångar"
        )

    def test_month_posted_on_kommun_bas_accounts(self):
        self.assertChargeOfMarch(self._post_march())
