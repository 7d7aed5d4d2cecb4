# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestDashboard(ItChargeCommon):
    def test_charge_by_department(self):
        school, care = self.env["hr.department"].create(
            [{"name": "Skolförvaltningen"}, {"name": "Omsorgsförvaltningen"}]
        )
        first = self._leased_device("D-1", 400.0, self.code_school)
        second = self._leased_device("D-2", 250.0, self.code_care)
        third = self._leased_device("D-3", 100.0, self.code_care)
        first.department_id = school
        (second | third).department_id = care
        self.schedule.action_activate()
        run = self._run(date(2025, 3, 1))
        run.action_compute()
        # Moving a device later does not move its past charge.
        third.department_id = school
        groups = dict(
            self.env["it.charge.line"]._read_group(
                [("run_id", "=", run.id)], ["department_id"], ["amount:sum"]
            )
        )
        # Skol: 400; Omsorg: 250 + 100 = 350.
        self.assertEqual(groups, {school: 400.0, care: 350.0})

    def test_dashboard_actions_open(self):
        for xmlid in (
            "municipal_it_report.maintenance_equipment_action_dashboard",
            "municipal_it_report.it_charge_line_action_dashboard",
            "municipal_it_report.it_lease_reconciliation_action_disputed",
            "municipal_it_report.it_co2e_entry_action_this_year",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            self.assertTrue(action["res_model"])

    def test_sie_export_needs_accounting_rights(self):
        with self.assertRaises(AccessError):
            self.env["it.sie.export"].with_user(self.it_manager).create({})
