# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MdmCommon

GOOD_ROW = "LAP-0002,PC-0002,,Windows,11,2026-05-30 10:00:00"


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmErrors(MdmCommon):
    """Every bad file is refused whole, naming row and column, with nothing
    written: no rows, the import still a draft, the register untouched."""

    def _assert_refused(self, content, regex, source=None):
        mdm_import = self._import(content, source=source)
        before = self._device_values(self.device_2)
        with self.assertRaisesRegex(UserError, regex):
            mdm_import.action_preview()
        self.assertEqual(mdm_import.state, "draft")
        self.assertFalse(mdm_import.line_ids)
        self.assertEqual(self._device_values(self.device_2), before)
        return mdm_import

    def test_missing_column_named_by_mapping(self):
        content = self._csv(
            "LAP-0002,PC-0002,,Windows,2026-05-30 10:00:00",
            header="Device name,Serial number,Primary user UPN,OS,Last check-in",
        )
        self._assert_refused(
            content,
            r"(?s)source Microsoft Intune.*Row 1, the header row, lacks the "
            r"column\(s\): OS version \(OS version\)\.",
        )

    def test_empty_serial(self):
        self._assert_refused(
            self._csv(GOOD_ROW, "LAP-X, ,,Windows,11,2026-05-30 10:00:00"),
            r"Row 3, column 2 \(Serial number\): the serial number is empty\.",
        )

    def test_duplicate_serial_names_both_rows(self):
        self._assert_refused(
            self._csv(
                GOOD_ROW,
                "LAP-0001,PC-0001,,Windows,11,2026-05-30 10:00:00",
                "LAP-0002b,pc- 0002,,Windows,11,2026-05-30 10:00:00",
            ),
            r"Row 4, column 2 \(Serial number\): serial number pc- 0002 is also on "
            r"row 2",
        )

    def test_unparseable_date(self):
        self._assert_refused(
            self._csv(GOOD_ROW, "LAP-0001,PC-0001,,Windows,11,31/05/2026 10:00"),
            r"Row 3, column 6 \(Last check-in\): '31/05/2026 10:00' is not a date "
            r"and time in the formats of source Microsoft Intune",
        )

    def test_checkin_in_the_future(self):
        # Within a day of now (clocks and time zones differ): accepted.
        mdm_import = self._import(
            self._csv("LAP-0002,PC-0002,,Windows,11,2026-06-01 11:59:59")
        )
        mdm_import.action_preview()
        self.assertEqual(mdm_import.line_ids.status, "update")
        self._assert_refused(
            self._csv(GOOD_ROW, "LAP-0001,PC-0001,,Windows,11,2026-06-01 12:00:01"),
            r"Row 3, column 6 \(Last check-in\): the check-in 2026-06-01 12:00:01 "
            r"\(UTC\) is in the future",
        )

    def test_control_character(self):
        content = base64.b64encode(
            (
                "Device name,Serial number,Primary user UPN,OS,OS version,"
                "Last check-in\r\n" + GOOD_ROW + "\r\n"
                "LAP-0001,PC-\x1b0001,,Windows,11,2026-05-30 10:00:00\r\n"
            ).encode()
        )
        self._assert_refused(
            content,
            r"Row 3, column 2 \(Serial number\): contains the control character "
            r"U\+001B",
        )

    def test_formula_refused(self):
        self._assert_refused(
            self._csv(GOOD_ROW, "=HYPERLINK(1),PC-0001,,Windows,11,2026-05-30 10:00"),
            r"Row 3, column 1 \(Device name\): '=HYPERLINK\(1\)' looks like a "
            r"spreadsheet formula",
        )

    def test_every_bad_row_listed(self):
        self._assert_refused(
            self._csv(
                "LAP-X,,,Windows,11,2026-05-30 10:00:00",
                "LAP-Y,PC-0001,,Windows,11,yesterday",
            ),
            r"(?s)nothing was changed:\nRow 2, column 2 \(Serial number\).*\n"
            r"Row 3, column 6 \(Last check-in\)",
        )

    def test_header_only(self):
        self._assert_refused(self._csv(), "has a header row but no rows")

    def test_no_file(self):
        mdm_import = self.env["it.mdm.import"].create({"source_id": self.intune.id})
        with self.assertRaisesRegex(UserError, "upload the export file"):
            mdm_import.action_preview()

    def test_serial_refused_by_the_one_rule(self):
        """The serial rule of every way a serial enters (``serial_problem``
        of the lease addon): a leading + or - (a formula in a spreadsheet), a
        line break inside (the quoted cell keeps it), an overlong serial."""
        for serial, regex in (
            ("+4670123", r"the serial number '\+4670123' looks like a spreadsheet"),
            ("-PC-0001", r"the serial number '-PC-0001' looks like a spreadsheet"),
            ('"PC\n0001"', r"the serial number 'PC\\n0001' contains the control "),
            ("P" * 65, r"the serial number has 65 characters \(at most 64\)"),
        ):
            with self.subTest(serial=serial):
                # A line break inside a quoted cell: the row ends on line 4.
                self._assert_refused(
                    self._csv(GOOD_ROW, f"LAP-0001,{serial},,Windows,11,2026-05-30"),
                    r"Row [34], column 2 \(Serial number\): " + regex,
                )

    def test_text_over_a_sane_length_or_with_a_line_break(self):
        self._assert_refused(
            self._csv(GOOD_ROW, f"{'L' * 256},PC-0001,,Windows,11,2026-05-30"),
            r"Row 3, column 1 \(Device name\): the text has 256 characters "
            r"\(at most 255\)",
        )
        self._assert_refused(
            self._csv(GOOD_ROW, 'LAP-0001,PC-0001,"anna\nberg",Windows,11,2026-05-30'),
            r"Row 4, column 3 \(Primary user UPN\): 'anna\\nberg' contains the "
            r"control character U\+000A",
        )
