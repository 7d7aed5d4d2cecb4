# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class RefurbishedSavingXlsx(models.AbstractModel):
    """Refurbished devices per department and year: money and CO2e saved."""

    _name = "report.municipal_it_report.refurbished_saving_xlsx"
    _description = "Refurbished Savings XLSX"
    _inherit = "report.municipal_it_lease.abstract_xlsx"

    def generate_xlsx_report(self, workbook, data, rows):
        _ = self.env._
        money = workbook.add_format({"num_format": "#,##0.00"})
        sheet = workbook.add_worksheet(_("Refurbished Savings"))
        titles = [
            _("Year"),
            _("Department"),
            _("Devices"),
            _("Price Paid"),
            _("New Price"),
            _("Money Saved"),
            _("CO2e Saved (kg)"),
        ]
        self._write_header(workbook, sheet, titles)
        sheet.set_column(1, 1, 30)
        sheet.set_column(2, 6, 16)
        totals = {}
        for saving in rows:
            key = (saving.year or "", saving.department_id.display_name or "")
            total = totals.setdefault(key, [0, 0.0, 0.0, 0.0, 0.0])
            total[0] += 1
            total[1] += saving.price
            total[2] += saving.reference_price
            total[3] += saving.money_saved
            total[4] += saving.kg_co2e
        for row, (key, total) in enumerate(sorted(totals.items()), start=1):
            sheet.write_row(row, 0, key)
            sheet.write_number(row, 2, total[0])
            for col in range(3, 7):
                sheet.write_number(row, col, total[col - 2], money)
