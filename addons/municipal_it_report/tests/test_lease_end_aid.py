# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.tests import Form, tagged

from .common import ItReportCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15")
class TestLeaseEndAid(ItReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "it_return_fee": 200.0,
                "it_expected_damage_charge": 150.0,
                "it_extension_rent_percent": 60.0,
            }
        )
        # Ends 2026-12-31, 46 days after "today".
        cls.schedule = cls._create_schedule("AID-1", date(2024, 1, 1), 36)
        cls.cheap, cls.dear = (cls._laptop("AID-1"), cls._laptop("AID-2"))
        cls.env["it.lease.line"].create(
            [
                {
                    "schedule_id": cls.schedule.id,
                    "equipment_id": cls.cheap.id,
                    "monthly_rent": 300.0,
                    "residual_value": 500.0,
                },
                {
                    "schedule_id": cls.schedule.id,
                    "equipment_id": cls.dear.id,
                    "monthly_rent": 300.0,
                    "residual_value": 9000.0,
                },
            ]
        )
        cls.schedule.action_activate()

    def test_decision_aid_row(self):
        aid = (
            self.env["it.lease.end.aid"].with_user(self.it_manager).create({"days": 60})
        )
        aid.action_compute()
        rows = {row.equipment_id: row for row in aid.line_ids}
        self.assertEqual(set(rows), {self.cheap, self.dear})
        row = rows[self.cheap]
        # Extension rent (rate card) = 300 x 60 % = 180; giving back = return
        # fee 200 + expected damage 150 = 350; new device 12,000 over a
        # 36-month life.
        # Return: 350 + 12,000 x 24 / 36 = 350 + 8,000 = 8,350.
        # Buy out: residual 500.
        # Extend 12: 12 x 180 + 350 + 12,000 x 12 / 36 = 2,160 + 350 + 4,000 = 6,510.
        # Extend 24: 24 x 180 + 350 = 4,320 + 350 = 4,670.
        self.assertEqual(
            (row.cost_return, row.cost_buy_out, row.cost_extend_12, row.cost_extend_24),
            (8350.0, 500.0, 6510.0, 4670.0),
        )
        # CO2e: a new unit's 240 kg x 24 / 36 = 160; x 12 / 36 = 80.
        self.assertEqual(
            (row.co2e_return, row.co2e_buy_out, row.co2e_extend_12, row.co2e_extend_24),
            (160.0, 0.0, 80.0, 0.0),
        )
        self.assertEqual(row.recommendation, "buy_out")
        self.assertIn("Lowest cost over the next 24 months", row.recommendation_rule)
        # Residual 9,000: extending 24 months (4,670) is the cheapest.
        self.assertEqual(rows[self.dear].recommendation, "extend_24")

    def test_outside_the_window(self):
        aid = self.env["it.lease.end.aid"].create({"days": 30})
        aid.action_compute()
        self.assertFalse(aid.line_ids)

    def test_offered_rent_in_decision_wizard(self):
        form = Form(
            self.env["it.lease.end.decision"]
            .with_user(self.it_manager)
            .with_context(default_schedule_id=self.schedule.id)
        )
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.cost_extend_24, 4670.0)
            # The lessor offers 100 a month: 24 x 100 + 350 = 2,750.
            line.new_monthly_rent = 100.0
            self.assertEqual(line.cost_extend_24, 2750.0)

    def test_xlsx(self):
        aid = self.env["it.lease.end.aid"].create({"days": 60})
        aid.action_compute()
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "municipal_it_report.lease_end_aid_xlsx", aid.ids, {}
        )
        sheet = load_workbook(io.BytesIO(content)).active
        rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(rows["AID-1"][4:8], (8350, 500, 6510, 4670))
        self.assertEqual(rows["AID-1"][13], "Buy out")

    def test_xlsx_writes_hostile_text_as_text(self):
        """A device or schedule named like a formula or a link is written as
        the text it is: the workbook never runs user data."""
        hostile = ["=1+2", "@SUM(1)", "http://example.com/x"]
        self.cheap.write({"name": hostile[0]})
        self.schedule.write({"name": hostile[1]})
        self.dear.write({"name": hostile[2]})
        aid = self.env["it.lease.end.aid"].create({"days": 60})
        aid.action_compute()
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "municipal_it_report.lease_end_aid_xlsx", aid.ids, {}
        )
        sheet = load_workbook(io.BytesIO(content)).active
        self.assertFalse(sheet._hyperlinks)
        # The device column shows the device's display name, which starts
        # with its name.
        cells = {
            text: cell
            for row in sheet.iter_rows(min_row=2)
            for cell in row
            for text in hostile
            if isinstance(cell.value, str) and cell.value.startswith(text)
        }
        self.assertEqual(set(cells), set(hostile))
        for value, cell in cells.items():
            with self.subTest(value=value):
                self.assertEqual(cell.data_type, "s")
                self.assertIsNone(cell.hyperlink)
