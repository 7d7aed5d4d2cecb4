# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

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
