# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common_chart import ItChartCommon


@tagged("post_install", "-at_install")
class TestChartL10nSe(ItChartCommon):
    """A municipality on Odoo's Swedish BAS chart (l10n_se, K2): the charge
    accounts are chosen from it and a month is posted unchanged.

    ``scripts/test`` installs l10n_se beside the addons; without it this
    test fails rather than being skipped."""

    @classmethod
    def _load_chart(cls):
        module = cls.env["ir.module.module"]._get("l10n_se")
        if module.state != "installed":
            raise AssertionError(
                "l10n_se (Odoo's Swedish chart) is not installed in the test "
                "database: install it with the addons (scripts/test does)."
            )
        cls.env["account.chart.template"].try_loading(
            "se_K2", cls.company, install_demo=False
        )

    @classmethod
    def _charge_accounts(cls):
        # 5252 "Leasing av datorer" (BAS, group 52 hired and leased assets);
        # 3590 "Övriga fakturerade kostnader" of class 3: what the IT unit
        # invoices the other units.
        return cls._account("5252"), cls._account("3590")

    def test_chart_loaded(self):
        self.assertEqual(self.company.chart_template, "se_K2")
        self.assertEqual(self.expense_account.account_type, "expense")
        self.assertEqual(self.income_account.account_type, "income")

    def test_month_posted_on_the_swedish_chart(self):
        self.assertChargeOfMarch(self._post_march())

    def test_group_by_counterparty_code_offered(self):
        """Journal Items and Analytic Reporting offer "Group By ▸
        Counterparty Code" in their search views."""
        analytic_search = self.env.ref(
            "account.view_account_analytic_line_filter_inherit_account"
        )
        for model, view in (
            ("account.move.line", False),
            ("account.analytic.line", analytic_search.id),
        ):
            arch = self.env[model].get_views([(view, "search")])["views"]["search"][
                "arch"
            ]
            self.assertIn('name="group_by_it_counterparty_code"', arch, model)
            self.assertIn("'group_by': 'it_counterparty_code'", arch, model)
