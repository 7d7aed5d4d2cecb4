# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Screens that have something to say: the dashboard shows the last posted
month, the report dialogs keep their title and the SIE file downloads at
once."""

from datetime import date

from odoo.tests import new_test_user, tagged

from odoo.addons.municipal_it_lease.tests.common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestDayOneReports(ItChargeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.company_registry = "2120000001"
        cls.finance_user = new_test_user(
            cls.env,
            login="day_one_ekonom",
            groups="account.group_account_invoice,"
            "municipal_it_lease.municipal_it_lease_group_manager",
        )
        cls._leased_device("DASH-1", 400.0, cls.code_school)
        cls.schedule.action_activate()
        cls.february, cls.march = (
            cls.Run.create({"date_from": date(2025, month, 1)}) for month in (2, 3)
        )
        for run in (cls.february, cls.march):
            run.action_compute()
            run.action_post()

    def _dashboard(self, company=None):
        action = self.env.ref(
            "municipal_it_report.it_charge_line_action_server_dashboard"
        )
        company = company or self.company
        return (
            action.with_user(self.finance_user)
            .with_context(allowed_company_ids=company.ids)
            .run()
        )

    def test_the_dashboard_shows_the_last_posted_month(self):
        # Charged in arrears: not the calendar month, the last one posted.
        result = self._dashboard()
        self.assertEqual(result["domain"], [("run_id", "=", self.march.id)])
        self.assertIn(self.march.month_label, result["display_name"])
        self.assertEqual(
            self.env["it.charge.line"].search(result["domain"]).mapped("amount"),
            [400.0],
        )

    def test_the_dashboard_has_something_to_say_before_any_month(self):
        neighbour = self.env["res.company"].create({"name": "Grannkommunen"})
        self.finance_user.company_ids |= neighbour
        result = self._dashboard(neighbour)
        self.assertFalse(self.env["it.charge.line"].search(result["domain"]))
        self.assertIn("No month posted yet", result["help"])

    def test_the_sie_file_downloads_at_once(self):
        wizard = (
            self.env["it.sie.export"]
            .with_user(self.finance_user)
            .create({"source": "run", "charge_run_id": self.march.id})
        )
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["target"], "download")
        self.assertEqual(
            action["url"],
            f"/web/content/it.sie.export/{wizard.id}/sie_file/"
            f"{wizard.sie_filename}?download=true",
        )

    def test_the_r5_dialog_keeps_its_title(self):
        note = self.env["it.r5.note"].with_user(self.finance_user).create({})
        action = note.action_compute()
        self.assertEqual(action["name"], "RKR R5 Leasing Note")
        self.assertEqual((action["res_id"], action["target"]), (note.id, "new"))
