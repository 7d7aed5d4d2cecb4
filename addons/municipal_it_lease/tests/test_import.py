# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

import xlsxwriter

from odoo.tests import tagged

from .common import ItLeaseCommon

DEVICE_FIELDS = [
    "name",
    "serial_no",
    "device_category",
    "activity_code_id",
    "lifecycle_state",
]
CSV_OPTIONS = {"quoting": '"', "separator": ",", "has_headers": True}


@tagged("post_install", "-at_install")
class TestImport(ItLeaseCommon):
    """Devices and lease lines come in through Odoo's standard import, as the
    user does it from the list view: all rows or none."""

    def _device_rows(self, count=100):
        return [
            [f"Laptop {n:03d}", f"IMP-{n:04d}", "laptop", "3200", "in_use"]
            for n in range(1, count + 1)
        ]

    def _csv(self, header, rows):
        lines = [",".join(header)] + [",".join(row) for row in rows]
        return "\n".join(lines).encode("utf-8")

    def _import(self, model, file, fields, file_type="text/csv", user=None):
        importer = (
            self.env["base_import.import"]
            .with_user(user or self.it_user)
            .create({"res_model": model, "file": file, "file_type": file_type})
        )
        return importer.execute_import(fields, fields, dict(CSV_OPTIONS))

    def _errors_on_row(self, result, row):
        """Error messages Odoo's import reports on a 0-based data row.

        Odoo first tries the whole file as one batch and, when that fails,
        each row on its own; the row-by-row messages are the ones that point
        the user at the culprit.
        """
        return [
            message["message"]
            for message in result["messages"]
            if message["type"] == "error" and message["rows"]["from"] == row
        ]

    def _imported_count(self):
        return self.env["maintenance.equipment"].search_count(
            [("serial_no", "=like", "IMP-%")]
        )

    def test_csv_import_of_100_devices(self):
        result = self._import(
            "maintenance.equipment",
            self._csv(DEVICE_FIELDS, self._device_rows()),
            DEVICE_FIELDS,
        )
        self.assertFalse(result["messages"])
        self.assertEqual(len(result["ids"]), 100)
        devices = self.env["maintenance.equipment"].browse(result["ids"])
        self.assertEqual(set(devices.mapped("activity_code_id.code")), {"3200"})
        self.assertEqual(set(devices.mapped("lifecycle_state")), {"in_use"})

    def test_xlsx_import_of_devices(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet()
        for row_index, row in enumerate([DEVICE_FIELDS] + self._device_rows(20)):
            sheet.write_row(row_index, 0, row)
        workbook.close()
        result = self._import(
            "maintenance.equipment",
            buffer.getvalue(),
            DEVICE_FIELDS,
            file_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertFalse(result["messages"])
        self.assertEqual(self._imported_count(), 20)

    def test_duplicate_serial_refused_with_row_and_nothing_imported(self):
        rows = self._device_rows()
        rows[56][1] = "imp-0012 "  # row 58 of the file repeats the serial of row 13
        result = self._import(
            "maintenance.equipment", self._csv(DEVICE_FIELDS, rows), DEVICE_FIELDS
        )
        self.assertFalse(result["ids"])
        # Data row 57 (0-based 56) is line 58 of the file with its header.
        self.assertEqual(
            self._errors_on_row(result, 56),
            ["Serial number imp-0012 is already used by device Laptop 012."],
        )
        self.assertEqual(self._imported_count(), 0)

    def test_serial_already_in_register_refused(self):
        self._create_device("IMP-0050", name="Already registered")
        result = self._import(
            "maintenance.equipment",
            self._csv(DEVICE_FIELDS, self._device_rows()),
            DEVICE_FIELDS,
        )
        self.assertFalse(result["ids"])
        self.assertEqual(
            self._errors_on_row(result, 49),
            ["Serial number IMP-0050 is already used by device Already registered."],
        )
        self.assertEqual(self._imported_count(), 1)

    def test_unknown_activity_code_refused_with_row_and_nothing_imported(self):
        rows = self._device_rows()
        rows[79][3] = "9999"
        result = self._import(
            "maintenance.equipment", self._csv(DEVICE_FIELDS, rows), DEVICE_FIELDS
        )
        self.assertFalse(result["ids"])
        self.assertIn(
            "No matching record found for name '9999' in field 'Activity Code'",
            self._errors_on_row(result, 79),
        )
        # No other row is blamed.
        self.assertFalse(
            [
                m
                for m in result["messages"]
                if m["type"] == "error" and m["rows"]["from"] not in (0, 79)
            ]
        )
        self.assertEqual(self._imported_count(), 0)

    def test_each_row_gets_its_own_activity_code(self):
        """Codes are looked up once per import and remembered: rows
        alternating between two codes each keep their own, and a code
        unknown on a later row is still reported on that row."""
        rows = self._device_rows(10)
        for number, row in enumerate(rows):
            row[3] = "4100" if number % 2 else "3200"
        result = self._import(
            "maintenance.equipment", self._csv(DEVICE_FIELDS, rows), DEVICE_FIELDS
        )
        self.assertFalse(result["messages"])
        devices = self.env["maintenance.equipment"].browse(result["ids"])
        self.assertEqual(
            [device.activity_code_id.code for device in devices.sorted("serial_no")],
            ["3200", "4100"] * 5,
        )
        rows = self._device_rows(20)[10:]
        rows[7][3] = "9999"
        result = self._import(
            "maintenance.equipment", self._csv(DEVICE_FIELDS, rows), DEVICE_FIELDS
        )
        self.assertFalse(result["ids"])
        self.assertIn(
            "No matching record found for name '9999' in field 'Activity Code'",
            self._errors_on_row(result, 7),
        )

    def test_csv_import_of_lease_lines_by_serial(self):
        self.env["maintenance.equipment"].create(
            [{"name": f"Leased {n}", "serial_no": f"LL-{n}"} for n in range(1, 6)]
        )
        schedule = self._create_schedule("Annex IMP", date(2026, 1, 1))
        fields = ["schedule_id", "equipment_id", "monthly_rent", "residual_value"]
        rows = [["Annex IMP", f"LL-{n}", "450.50", "800"] for n in range(1, 6)]
        result = self._import(
            "it.lease.line", self._csv(fields, rows), fields, user=self.it_manager
        )
        self.assertFalse(result["messages"])
        self.assertEqual(len(schedule.line_ids), 5)
        self.assertAlmostEqual(schedule.monthly_rent_total, 5 * 450.50)
        self.assertEqual(schedule.line_ids[0].date_end, date(2028, 12, 31))
