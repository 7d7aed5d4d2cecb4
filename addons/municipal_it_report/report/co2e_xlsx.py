# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class Co2eLedgerXlsx(models.AbstractModel):
    """The CO2e ledger: totals per activity code, department and month, and
    every entry with the factor it was computed with."""

    _name = "report.municipal_it_report.co2e_ledger_xlsx"
    _description = "CO2e Ledger XLSX"
    _inherit = "report.municipal_it_lease.abstract_xlsx"

    def generate_xlsx_report(self, workbook, data, entries):
        _ = self.env._
        kg = workbook.add_format({"num_format": "#,##0.00"})
        summary = workbook.add_worksheet(_("Summary"))
        titles = [_("Period"), _("Activity Code"), _("Department"), _("kg CO2e")]
        self._write_header(workbook, summary, titles)
        summary.set_column(0, 2, 28)
        totals = {}
        for entry in entries:
            key = (
                entry.date.strftime("%Y-%m"),
                entry.activity_code_id.display_name or "",
                entry.department_id.display_name or "",
            )
            totals[key] = totals.get(key, 0.0) + entry.kg_co2e
        for row, (key, amount) in enumerate(sorted(totals.items()), start=1):
            summary.write_row(row, 0, key)
            summary.write_number(row, 3, amount, kg)
        detail = workbook.add_worksheet(_("Entries"))
        events = dict(entries._fields["event"]._description_selection(self.env))
        titles = [
            _("Date"),
            _("Event"),
            _("Device"),
            _("Device Type"),
            _("Activity Code"),
            _("Department"),
            _("Factor (kg)"),
            _("Share (%)"),
            _("kg CO2e"),
            _("Source"),
            _("Year"),
        ]
        self._write_header(workbook, detail, titles)
        for row, entry in enumerate(entries, start=1):
            detail.write_row(
                row,
                0,
                [
                    str(entry.date),
                    events.get(entry.event, entry.event),
                    entry.equipment_id.display_name,
                    entry.device_category or "",
                    entry.activity_code_id.display_name or "",
                    entry.department_id.display_name or "",
                ],
            )
            detail.write_number(row, 6, entry.factor_kg)
            detail.write_number(row, 7, entry.share)
            detail.write_number(row, 8, entry.kg_co2e, kg)
            detail.write(row, 9, entry.source or "")
            detail.write(row, 10, entry.source_year or "")
