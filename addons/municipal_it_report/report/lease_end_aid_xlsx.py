# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class LeaseEndAidXlsx(models.AbstractModel):
    """The decision aid: per device, the cost and CO2e of each path and the
    recommendation with its rule."""

    _name = "report.municipal_it_report.lease_end_aid_xlsx"
    _description = "End-of-Lease Decision Aid XLSX"
    _inherit = "report.municipal_it_lease.abstract_xlsx"

    def generate_xlsx_report(self, workbook, data, aids):
        _ = self.env._
        money = workbook.add_format({"num_format": "#,##0.00"})
        sheet = workbook.add_worksheet(_("Decision Aid"))
        titles = [
            _("Schedule"),
            _("Serial Number"),
            _("Device"),
            _("Lease End"),
            _("Return"),
            _("Buy Out"),
            _("Extend 12 Months"),
            _("Extend 24 Months"),
            _("New Device"),
            _("CO2e Return (kg)"),
            _("CO2e Buy Out (kg)"),
            _("CO2e Extend 12 (kg)"),
            _("CO2e Extend 24 (kg)"),
            _("Recommendation"),
            _("Rule"),
        ]
        self._write_header(workbook, sheet, titles)
        sheet.set_column(0, 3, 18)
        sheet.set_column(4, 12, 14)
        sheet.set_column(14, 14, 60)
        row = 1
        for aid in aids:
            paths = dict(
                aid.line_ids._fields["recommendation"]._description_selection(self.env)
            )
            for line in aid.line_ids:
                self._write_aid_line(sheet, row, line, paths, money)
                row += 1

    def _write_aid_line(self, sheet, row, line, paths, money):
        """One device's row: its lease, the cost and CO2e of each path, the
        recommendation and its rule."""
        sheet.write_row(
            row,
            0,
            [
                line.schedule_id.name,
                line.serial_no or "",
                line.equipment_id.display_name,
                str(line.date_end),
            ],
        )
        costs = [
            line.cost_return,
            line.cost_buy_out,
            line.cost_extend_12,
            line.cost_extend_24,
            line.new_device_price,
        ]
        for col, value in enumerate(costs, start=4):
            sheet.write_number(row, col, value, money)
        co2e = [
            line.co2e_return,
            line.co2e_buy_out,
            line.co2e_extend_12,
            line.co2e_extend_24,
        ]
        for col, value in enumerate(co2e, start=9):
            sheet.write_number(row, col, value)
        sheet.write(row, 13, paths.get(line.recommendation, ""))
        sheet.write(row, 14, line.recommendation_rule)
