# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

# Rows turned into Python objects at a time for the detail sheet: with the
# workbook in constant-memory mode, memory stays flat however large the run.
DETAIL_CHUNK = 5000


class ChargeRunXlsx(models.AbstractModel):
    """The charge run as a workbook: what each activity code pays (summary)
    and what each device costs (detail)."""

    _name = "report.municipal_it_lease.charge_run_xlsx"
    _description = "IT Lease Charge Run XLSX"
    _inherit = "report.municipal_it_lease.abstract_xlsx"

    def get_workbook_options(self):
        # Rows are flushed to disk as they are written.
        return {**super().get_workbook_options(), "constant_memory": True}

    def generate_xlsx_report(self, workbook, data, runs):
        styles = self._get_styles(workbook)
        for run in runs:
            self._write_summary_sheet(workbook, styles, run)
        for run in runs:
            self._write_detail_sheet(workbook, styles, run)

    def _get_styles(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": self._add_header_format(workbook),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "total": workbook.add_format({"bold": True, "num_format": "#,##0.00"}),
            "bold": workbook.add_format({"bold": True}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        }

    def _sheet_name(self, run, kind):
        month = run.date_from.strftime("%Y-%m")
        suffix = f" {run.company_id.id}" if len(run) > 1 else ""
        return f"{kind} {month}{suffix}"[:31]

    def _write_summary_sheet(self, workbook, styles, run):
        _ = self.env._
        sheet = workbook.add_worksheet(self._sheet_name(run, _("Summary")))
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 40)
        sheet.set_column(2, 3, 14)
        sheet.write(
            0,
            0,
            _(
                "IT lease charge %(month)s, %(company)s",
                month=run.date_from.strftime("%Y-%m"),
                company=run.company_id.name,
            ),
            styles["title"],
        )
        sheet.write(1, 0, _("Journal entry"), styles["bold"])
        sheet.write(1, 1, run.move_id.name or _("not posted"))
        headers = [_("Activity code"), _("Name"), _("Devices"), _("Amount")]
        sheet.write_row(3, 0, headers, styles["header"])
        row = 4
        total = 0.0
        for summary in run.summary_ids.sorted(
            lambda s: (s.activity_code_id.code or "", s.activity_code_id.id)
        ):
            code = summary.activity_code_id
            sheet.write(row, 0, code.code or "")
            sheet.write(row, 1, code.name or _("(no activity code)"))
            sheet.write_number(row, 2, summary.device_count)
            sheet.write_number(row, 3, summary.amount, styles["money"])
            total += summary.amount
            row += 1
        sheet.write(row, 1, _("Total"), styles["bold"])
        sheet.write_number(row, 2, run.device_count, styles["bold"])
        sheet.write_number(row, 3, run.currency_id.round(total), styles["total"])

    def _write_detail_sheet(self, workbook, styles, run):
        _ = self.env._
        sheet = workbook.add_worksheet(self._sheet_name(run, _("Devices")))
        headers = [
            _("Serial number"),
            _("Device"),
            _("Model"),
            _("User"),
            _("Department"),
            _("Activity code"),
            _("Lease schedule"),
            _("From"),
            _("To"),
            _("Days"),
            _("Monthly rent"),
            _("Amount"),
        ]
        for column, width in enumerate((18, 30, 28, 24, 24, 14, 22, 11, 11, 6, 12, 12)):
            sheet.set_column(column, column, width)
        sheet.write_row(0, 0, headers, styles["header"])
        sheet.freeze_panes(1, 0)
        row = 1
        for record in self._iter_detail_rows(run):
            (serial, device, model, user, department, code, schedule) = record[:7]
            date_from, date_to, days, rent, amount = record[7:]
            sheet.write_row(
                row, 0, (serial or "", device or "", model or "", user or "")
            )
            sheet.write_row(row, 4, (department or "", code or "", schedule or ""))
            sheet.write_datetime(row, 7, date_from, styles["date"])
            sheet.write_datetime(row, 8, date_to, styles["date"])
            sheet.write_number(row, 9, days)
            sheet.write_number(row, 10, float(rent or 0.0), styles["money"])
            sheet.write_number(row, 11, float(amount), styles["money"])
            row += 1

    def _iter_detail_rows(self, run):
        """Yield the detail rows of ``run`` from one query, fetched a chunk at
        a time: the rows become Python objects ``DETAIL_CHUNK`` at a time, in
        the order of the report (activity code, serial number)."""
        self.env.flush_all()
        lang = self.env.lang or "en_US"
        cr = self.env.cr
        cr.execute(
            """
            SELECT equipment.serial_no,
                   COALESCE(equipment.name->>%(lang)s, equipment.name->>'en_US'),
                   COALESCE(product_tmpl.name->>%(lang)s,
                            product_tmpl.name->>'en_US', equipment.model),
                   employee.name,
                   COALESCE(department.name->>%(lang)s,
                            department.name->>'en_US'),
                   code.code,
                   schedule.name,
                   line.date_from, line.date_to, line.days,
                   line.monthly_rent, line.amount
              FROM it_charge_line line
              JOIN maintenance_equipment equipment
                ON equipment.id = line.equipment_id
              JOIN it_lease_line lease ON lease.id = line.lease_line_id
              JOIN it_lease_schedule schedule ON schedule.id = lease.schedule_id
         LEFT JOIN account_analytic_account code
                ON code.id = line.activity_code_id
         LEFT JOIN product_product product ON product.id = equipment.product_id
         LEFT JOIN product_template product_tmpl
                ON product_tmpl.id = product.product_tmpl_id
         LEFT JOIN hr_employee employee ON employee.id = equipment.employee_id
         LEFT JOIN hr_department department
                ON department.id = equipment.department_id
             WHERE line.run_id = %(run_id)s
          ORDER BY COALESCE(code.code, ''), equipment.serial_no, line.date_from, line.id
            """,
            {"lang": lang, "run_id": run.id},
        )
        # Nothing else runs on this cursor until the last row is fetched.
        while rows := cr.fetchmany(DETAIL_CHUNK):
            yield from rows
