# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import tagged

from .common_reconciliation import MARCH, ItReconciliationCommon

# Text a spreadsheet would run as a formula, a command or a hyperlink.
HOSTILE = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(1)", "http://example.com/x"]


@tagged("post_install", "-at_install")
class TestXlsxInjection(ItReconciliationCommon):
    """Text from devices, files and lessors is written as text in both
    workbooks: never a formula, never a live hyperlink."""

    def _cells(self, report, ids):
        content, _kind = self.env["ir.actions.report"]._render_xlsx(report, ids, {})
        workbook = load_workbook(io.BytesIO(content))
        cells = {}
        for sheet in workbook.worksheets:
            self.assertFalse(sheet._hyperlinks, "no live hyperlink")
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cells[cell.value] = cell
        return cells

    def _assert_text(self, cells, values):
        for value in values:
            with self.subTest(value=value):
                self.assertIn(value, cells)
                self.assertEqual(cells[value].data_type, "s")
                self.assertIsNone(cells[value].hyperlink)

    def test_charge_run_workbook(self):
        device = self._leased_device("INJ-1", 100.0, self.code_school)
        device.write({"name": HOSTILE[0], "model": HOSTILE[1]})
        self.schedule.write({"name": HOSTILE[2]})
        other = self._leased_device("INJ-2", 100.0, self.code_school)
        other.write({"name": HOSTILE[3], "model": HOSTILE[4]})
        self.schedule.action_activate()
        run = self._run(date(2026, 3, 1))
        run.action_compute()
        cells = self._cells("municipal_it_lease.charge_run_xlsx", run.ids)
        self._assert_text(cells, HOSTILE)

    def test_reconciliation_workbook(self):
        # A serial starting with = + - @ no longer enters (``serial_problem``);
        # the lessor's own reference of its annex still may.
        self.s1.lessor_reference = "+1+1"
        serials = ["SN-X1", "http://example.com/x"]
        content = "Schedule;Serial;Period;Amount\n" + "".join(
            f"+1+1;{serial};2026-03;100\n" for serial in serials
        )
        reconciliation = self.Reconciliation._import_specification(
            self.lessor, MARCH, content.encode(), "spec.csv"
        )
        cells = self._cells(
            "municipal_it_lease.reconciliation_xlsx", reconciliation.ids
        )
        self._assert_text(cells, ["+1+1", *serials])
