# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

import xlsxwriter

from odoo.tests import tagged

from .common_remap import ItRemapCommon

NEW_YEAR = date(2027, 1, 1)
EXPECTED = [(2, "3200", "3300"), (3, "4100", "4200")]


@tagged("post_install", "-at_install")
class TestRemapImport(ItRemapCommon):
    def _imported(self, content, filename="mapping.csv"):
        remap = self._remap(NEW_YEAR, [])
        self._import(remap, content, filename)
        return remap, [(ml.sequence, ml.old_code, ml.new_code) for ml in remap.line_ids]

    def test_utf8_comma_english_headers(self):
        _remap, lines = self._imported(b"Old code,New code\n3200,3300\n4100,4200\n")
        self.assertEqual(lines, EXPECTED)

    def test_utf8_bom_semicolon_swedish_headers(self):
        content = "Gammal kod;Ny kod\r\n3200;3300\r\n4100;4200\r\n".encode("utf-8-sig")
        remap, lines = self._imported(content)
        self.assertEqual(lines, EXPECTED)
        self.assertFalse(remap.problem_count)

    def test_windows_1252_semicolon_swedish_headers(self):
        # "Från" and "Till" with an å that only Windows-1252 encodes this way.
        content = "Från;Till;Kommentar\n3200;3300;Skola\n4100;4200;Omsorg\n".encode(
            "cp1252"
        )
        self.assertIn(b"Fr\xe5n", content)
        _remap, lines = self._imported(content)
        self.assertEqual(lines, EXPECTED)

    def test_windows_1252_comma(self):
        content = "Gammal kod,Ny kod,Förvaltning\n3200,3300,Skola\n4100,4200,Vård\n"
        _remap, lines = self._imported(content.encode("cp1252"))
        self.assertEqual(lines, EXPECTED)

    def test_xlsx(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, ["Gammal kod", "Ny kod"])
        # Codes typed as numbers in a spreadsheet come back as "3200".
        sheet.write_row(1, 0, [3200, 3300])
        sheet.write_row(2, 0, ["4100", "4200"])
        workbook.close()
        _remap, lines = self._imported(buffer.getvalue(), "mapping.xlsx")
        self.assertEqual(lines, EXPECTED)

    def test_imported_plan_applies(self):
        remap, _lines = self._imported(b"old code;new code\n3200;3300\n4100;4200\n")
        remap.action_apply()
        self.assertEqual(self._codes(self.school_device)[-1], ("3300", NEW_YEAR, False))
        self.assertEqual(self._codes(self.care_device)[-1], ("4200", NEW_YEAR, False))

    def test_reimport_replaces_the_lines(self):
        remap, _lines = self._imported(b"old code,new code\n3200,3300\n")
        self._import(remap, b"old code,new code\n4100,4200\n")
        self.assertEqual(remap.line_ids.mapped("old_code"), ["4100"])
