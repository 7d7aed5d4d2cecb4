# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import tagged

from .common_reconciliation import ItReconciliationCommon

HEADER = "Schedule;Serial;Period;Amount\n"


@tagged("post_install", "-at_install")
class TestReconciliationBadInput(ItReconciliationCommon):
    def _refused(self, content, regex):
        with self.assertUserErrorRollsBack(regex):
            self._import(content.encode("utf-8"))
        self.assertFalse(self.Reconciliation.search([]))
        self.assertFalse(self.env["it.lease.reconciliation.line"].search([]))

    def test_missing_columns(self):
        self._refused(
            "Schedule;Serial;Amount\nS-1;SN-A;500\n",
            r"Row 1, the header row, lacks the column\(s\): period",
        )

    def test_unparseable_period(self):
        self._refused(
            HEADER + "S-1;SN-A;2026-03;500\nS-1;SN-B;March;400\n",
            r"Row 3: period 'March' is not a month",
        )

    def test_unparseable_amount(self):
        self._refused(
            HEADER + "S-1;SN-A;2026-03;5OO\n",
            r"Row 2: amount '5OO' is not a number",
        )

    def test_same_serial_twice_for_one_period(self):
        self._refused(
            HEADER
            + "S-1;SN-A;2026-03;500\nS-1;SN-B;2026-03;400\nS-1;sn-a;2026-03;500\n",
            r"Row 4: serial number sn-a is invoiced twice for 2026-03 \(also row 2\)",
        )

    def test_unknown_schedule(self):
        self._refused(
            HEADER + "S-9;SN-A;2026-03;500\n",
            r"Row 2: schedule 'S-9' is not a schedule of Test Lessor AB",
        )

    def test_every_bad_row_is_listed(self):
        self._refused(
            HEADER + "S-9;SN-A;2026-03;500\nS-1;SN-B;x;400\n",
            r"(?s)Row 2: schedule 'S-9'.*Row 3: period 'x'",
        )

    def test_empty_file(self):
        self._refused("", "The file is empty")
        self._refused(HEADER, "header row but no rows")

    def test_serial_that_is_a_formula_or_holds_a_line_break(self):
        """The one serial rule (``serial_problem``) of every way a serial
        enters: a leading = + - @ would run as a formula when the
        discrepancies are opened in a spreadsheet; a line break inside is
        not a serial number. The quoted cell keeps the newline in CSV."""
        for serial, regex in (
            ("+SN-A", r"Row 2: the serial number '\+SN-A' looks like a spreadsheet"),
            ("-SN-A", r"Row 2: the serial number '-SN-A' looks like a spreadsheet"),
            ('"SN\nA"', r"Row 3: the serial number 'SN\\nA' contains the control "),
            ("S" * 65, r"Row 2: the serial number has 65 characters \(at most 64\)"),
        ):
            with self.subTest(serial=serial):
                self._refused(HEADER + f"S-1;{serial};2026-03;500\n", regex)

    def test_row_of_another_period_refused(self):
        """March's reconciliation takes rows of March and of the three
        months before (back-billing, see test_reconciliation); a row of
        2025-11 or of April is not March's and refuses the file, naming the
        row."""
        self._refused(
            HEADER + "S-1;SN-A;2026-03;500\nS-1;SN-B;2025-11;400\n",
            r"Row 3: period 2025-11 is more than 3 months before 2026-03",
        )
        self._refused(
            HEADER + "S-1;SN-A;2026-04;500\n",
            r"Row 2: period 2026-04 is after 2026-03, the month of this",
        )
        # 2025-12 is three months before March: back-billed, imported.
        reconciliation = self._import(
            (HEADER + "S-1;SN-A;2026-03;500\nS-1;SN-B;2025-12;400\n").encode()
        )
        self.assertEqual(
            sorted(reconciliation.line_ids.filtered("row").mapped("period")),
            [date(2025, 12, 1), date(2026, 3, 1)],
        )

    def test_september_file_with_march_rows_refused(self):
        """The finding: a lessor file's rows for 2026-03 went into the
        2026-09 reconciliation without a word."""
        with self.assertUserErrorRollsBack(
            r"Row 2: period 2026-03 is more than 3 months before 2026-09"
        ):
            self._import(
                (HEADER + "S-1;SN-A;2026-03;500\n").encode(), month=date(2026, 9, 1)
            )
        self.assertFalse(self.Reconciliation.search([]))
