# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

import xlsxwriter

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.fileparse import parse_amount, parse_month, read_table
from .common_reconciliation import ItReconciliationCommon


@tagged("post_install", "-at_install")
class TestFileParse(ItReconciliationCommon):
    """The accepted shapes of a file give the right result."""

    def test_swedish_and_english_amounts(self):
        cases = {
            "1 234,50": 1234.5,
            "1\u00a0234,50": 1234.5,  # non-breaking space between thousands
            "1\u202f234,50": 1234.5,  # narrow no-break space
            "1.234,50": 1234.5,
            "1,234.50": 1234.5,
            "\u221299,90": -99.9,  # the minus sign U+2212
            "-99,90 kr": -99.9,
            "250": 250.0,
            "0,5": 0.5,
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_amount(text, self.env), (expected, None))

    def test_refused_amounts(self):
        for text in ("NaN", "inf", "Infinity", "1e309", "1_000", "", "12,345", "2e9"):
            with self.subTest(text=text):
                amount, problem = parse_amount(text, self.env)
                self.assertIsNone(amount)
                self.assertTrue(problem)
        # 1 000 000 000 kr is the first absurd amount.
        self.assertIn("plausible", parse_amount("1 000 000 000", self.env)[1])
        self.assertEqual(parse_amount("999 999 999,99", self.env)[0], 999999999.99)

    def test_months(self):
        self.assertEqual(parse_month("2026-03-31", self.env), (date(2026, 3, 1), None))
        self.assertEqual(parse_month("03/2026", self.env), (date(2026, 3, 1), None))
        self.assertEqual(parse_month("202603", self.env), (date(2026, 3, 1), None))
        for text in ("2026-02-30", "2026-13", "1899-12", "March"):
            with self.subTest(text=text):
                self.assertIsNone(parse_month(text, self.env)[0])

    def test_delimiters_and_encodings(self):
        table = [["Schedule", "Serial"], ["S-1", "Åsa-1"]]
        for delimiter in (";", ",", "\t"):
            text = "\r\n".join(delimiter.join(row) for row in table)
            for encoding in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
                with self.subTest(delimiter=delimiter, encoding=encoding):
                    rows = read_table(text.encode(encoding), self.env)
                    self.assertEqual([cells for _n, cells in rows], table)

    def test_quoted_decimal_comma_in_a_comma_file(self):
        rows = read_table(b'Serial,Amount\nSN-A,"1 234,50"\n', self.env)
        self.assertEqual(rows[1], (2, ["SN-A", "1 234,50"]))

    def test_row_and_column_named(self):
        with self.assertRaisesRegex(
            UserError, r"Row 3, column 2 \(Serial\): contains the control character"
        ):
            read_table(b"Schedule;Serial\nS-1;A\nS-1;B\x07\n", self.env)

    def test_specification_with_swedish_numbers_and_credit_line(self):
        content = (
            "Schedule\tSerial\tPeriod\tAmount\n"
            "S-1\tSN-A\t2026-03\t500,00\n"
            "S-1\tSN-B\t2026-03\t\u2212400,00\n"
            "S-1\tSN-B\t2026-02\t1\u00a0200,50\n"
        ).encode("utf-8-sig")
        reconciliation = self._import(content)
        amounts = {
            (line.serial_no, line.period): line.invoiced_amount
            for line in reconciliation.line_ids
            if line.row
        }
        self.assertEqual(
            amounts,
            {
                ("SN-A", date(2026, 3, 1)): 500.0,
                ("SN-B", date(2026, 3, 1)): -400.0,  # a credit line
                ("SN-B", date(2026, 2, 1)): 1200.5,
            },
        )

    def test_specification_as_xlsx(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, ["Schedule", "Serial", "Period", "Amount"])
        sheet.write_row(1, 0, ["S-1", "SN-A", "2026-03", 500])
        workbook.close()
        reconciliation = self._import(buffer.getvalue())
        line = reconciliation.line_ids.filtered(lambda line: line.serial_no == "SN-A")
        self.assertEqual(line.invoiced_amount, 500.0)
        self.assertEqual(line.status, "matched")
