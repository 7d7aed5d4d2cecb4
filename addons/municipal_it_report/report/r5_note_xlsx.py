# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

# Rows printed for operational leases: the present value and liability split
# belong to financial leases only.
FINANCIAL_ONLY = {"present_value", "liability_short", "liability_long", "interest"}


class R5NoteXlsx(models.AbstractModel):
    """The R5 note laid out as Swedish annual reports print it: one block per
    lease type, amounts in the reporting currency."""

    _name = "report.municipal_it_report.r5_note_xlsx"
    _description = "RKR R5 Leasing Note XLSX"
    _inherit = "report.municipal_it_lease.abstract_xlsx"

    def generate_xlsx_report(self, workbook, data, notes):
        _ = self.env._
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        money = workbook.add_format({"num_format": "#,##0"})
        total = workbook.add_format({"bold": True, "num_format": "#,##0", "top": 1})
        for note in notes:
            sheet = workbook.add_worksheet(
                f"R5 {note.date_to} {note.company_id.id}"[:31]
            )
            sheet.set_column(0, 0, 60)
            sheet.set_column(1, 2, 16)
            # Annual reports print the year before next to the year.
            previous = note.new(
                {
                    "company_id": note.company_id.id,
                    "date_to": fields.Date.subtract(note.date_from, days=1),
                }
            )._get_figures()
            sheet.write(0, 0, _("Leasing (RKR R5)"), title)
            sheet.write(1, 0, note.company_id.name)
            sheet.write(
                2,
                0,
                _(
                    "As of %(date)s, amounts in %(currency)s",
                    date=note.date_to,
                    currency=note.currency_id.name,
                ),
            )
            row = 4
            blocks = (
                ("financial", _("Financial leases")),
                ("operational", _("Operational leases")),
            )
            for kind, heading in blocks:
                sheet.write(row, 0, heading, bold)
                sheet.write(row, 1, str(note.date_to.year), bold)
                sheet.write(row, 2, str(note.date_from.year - 1), bold)
                row += 1
                for line in note.line_ids:
                    if kind == "operational" and line.code in FINANCIAL_ONLY:
                        continue
                    style = total if line.code == "future_total" else money
                    sheet.write(row, 0, line.name)
                    sheet.write_number(row, 1, line[kind], style)
                    sheet.write_number(row, 2, previous[kind][line.code], style)
                    row += 1
                row += 1
