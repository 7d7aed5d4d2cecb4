# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ReconciliationXlsx(models.AbstractModel):
    """The discrepancies of a reconciliation, to send to the lessor."""

    _name = "report.municipal_it_lease.reconciliation_xlsx"
    _description = "Lessor Invoice Discrepancies XLSX"
    _inherit = "report.municipal_it_lease.abstract_xlsx"

    def get_workbook_options(self):
        return {**super().get_workbook_options(), "constant_memory": True}

    def generate_xlsx_report(self, workbook, data, reconciliations):
        _ = self.env._
        header = self._add_header_format(workbook)
        money = workbook.add_format({"num_format": "#,##0.00"})
        date_format = workbook.add_format({"num_format": "yyyy-mm"})
        statuses = dict(
            self.env["it.lease.reconciliation.line"]
            ._fields["status"]
            ._description_selection(self.env)
        )
        for reconciliation in reconciliations:
            sheet = workbook.add_worksheet(
                f"{reconciliation.date_from:%Y-%m} {reconciliation.id}"[:31]
            )
            columns = [
                _("Discrepancy"),
                _("Row"),
                _("Schedule"),
                _("Serial number"),
                _("Period"),
                _("Invoiced"),
                _("Expected"),
                _("Difference"),
            ]
            for index, width in enumerate((34, 6, 20, 20, 10, 12, 12, 12)):
                sheet.set_column(index, index, width)
            sheet.write_row(0, 0, columns, header)
            lines = self.env["it.lease.reconciliation.line"].search(
                [
                    ("reconciliation_id", "=", reconciliation.id),
                    ("status", "!=", "matched"),
                ],
                order="status, row, serial_no",
            )
            for row, line in enumerate(lines, start=1):
                sheet.write(row, 0, statuses.get(line.status, ""))
                if line.row:
                    sheet.write_number(row, 1, line.row)
                sheet.write(row, 2, line.schedule_ref or "")
                sheet.write(row, 3, line.serial_no or "")
                if line.period:
                    sheet.write_datetime(row, 4, line.period, date_format)
                sheet.write_number(row, 5, line.invoiced_amount, money)
                sheet.write_number(row, 6, line.expected_amount, money)
                sheet.write_number(row, 7, line.difference, money)
