# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import tagged

from .common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestChargeXlsx(ItChargeCommon):
    def test_workbook_totals_equal_the_posted_move(self):
        # March: 500 + 300 on 3200; 199.99 on 4100 from 16 March, 16 of 31
        # days: 199.99 × 16 / 31 = 103.2206 → 103.22. Total 903.22.
        self._leased_device("X-1", 500.0, self.code_school)
        self._leased_device("X-2", 300.0, self.code_school)
        self._leased_device("X-3", 199.99, self.code_care, date_start=date(2026, 3, 16))
        self.schedule.action_activate()
        run = self._run(date(2026, 3, 1))
        run.action_post()
        self.assertEqual(run.move_id.amount_total, 903.22)

        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "municipal_it_lease.charge_run_xlsx", run.ids, {}
        )
        self.assertEqual(kind, "xlsx")
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        summary, detail = workbook.worksheets
        rows = list(summary.iter_rows(min_row=5, values_only=True))
        per_code = {row[0]: (row[2], row[3]) for row in rows if row[0]}
        self.assertEqual(per_code, {"3200": (2, 800.0), "4100": (1, 103.22)})
        total_row = rows[-1]
        self.assertEqual(total_row[1], "Total")
        self.assertAlmostEqual(total_row[3], run.move_id.amount_total)

        details = list(detail.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(details), 3)
        by_serial = {row[0]: row for row in details}
        self.assertEqual(by_serial["X-3"][5], "4100")
        self.assertEqual(by_serial["X-3"][6], "CH-1")
        self.assertEqual(by_serial["X-3"][9], 16)
        self.assertAlmostEqual(by_serial["X-3"][11], 103.22)
        self.assertAlmostEqual(
            sum(row[11] for row in details), run.move_id.amount_total
        )
