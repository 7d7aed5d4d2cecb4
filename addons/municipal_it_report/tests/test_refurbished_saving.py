# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import tagged

from .common import ItReportCommon


@tagged("post_install", "-at_install")
class TestRefurbishedSaving(ItReportCommon):
    def test_money_and_co2e_side_by_side(self):
        devices = self._laptop(
            "REF-1",
            acquisition_origin="refurbished",
            cost=6000.0,
            effective_date=date(2026, 2, 1),
        ) | self._laptop(
            "REF-2",
            acquisition_origin="refurbished",
            cost=7000.0,
            effective_date=date(2026, 3, 1),
        )
        self._laptop("NEW-1", cost=12000.0, effective_date=date(2026, 3, 1))
        self.env["it.co2e.entry"]._record_refurbished_received(
            devices, date(2026, 3, 1)
        )
        self.env.flush_all()
        groups = self.env["it.refurbished.saving"]._read_group(
            [("equipment_id.serial_no", "like", "REF-")],
            ["department_id", "year"],
            [
                "__count",
                "price:sum",
                "reference_price:sum",
                "money_saved:sum",
                "kg_co2e:sum",
            ],
        )
        # Paid 6,000 + 7,000 = 13,000 against 2 x 12,000 = 24,000 new:
        # saved 11,000; CO2e 2 x 280 x 50 % = 280 kg.
        self.assertEqual(
            groups, [(self.department, "2026", 2, 13000.0, 24000.0, 11000.0, 280.0)]
        )

    def test_xlsx(self):
        device = self._laptop(
            "REF-3",
            acquisition_origin="refurbished",
            cost=5000.0,
            effective_date=date(2025, 5, 1),
        )
        self.env.flush_all()
        rows = self.env["it.refurbished.saving"].search(
            [("equipment_id", "=", device.id)]
        )
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "municipal_it_report.refurbished_saving_xlsx", rows.ids, {}
        )
        sheet = load_workbook(io.BytesIO(content)).active
        # 12,000 new - 5,000 paid = 7,000 saved; no CO2e entry yet.
        self.assertEqual(
            list(sheet.iter_rows(min_row=2, values_only=True)),
            [("2025", "Skola", 1, 5000, 12000, 7000, 0)],
        )
