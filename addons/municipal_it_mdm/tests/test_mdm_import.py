# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import io
from datetime import datetime

from freezegun import freeze_time
from openpyxl import Workbook

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MdmCommon

# Five rows: two updates, one unchanged, one not in the register, and one
# whose serial differs from the register's only in case and spaces.
FIVE_ROWS = (
    (
        "LAP-0001,PC-0001,anna.berg@kommun.se,Windows,10.0.22631.4460,"
        "2026-05-30 07:41:09.1234567"
    ),
    "LAP-0002,PC-0002,Lars.Holm@Kommun.se,Windows,10.0.22631.4460,2026-05-29 16:02:55",
    "LAP-0003,PC-0003,eva.lind@kommun.se,Windows,10.0.22631.4460,2026-05-30 06:00:00",
    "LAP-9999,XYZ-9999,okand@kommun.se,Windows,10.0.19045.5131,2026-05-30 08:30:00",
    "TAB-0005, ab12CD ,,iPadOS,17.6.1,2026-05-28 09:15:00",
)


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmImport(MdmCommon):
    def _preview_five(self):
        mdm_import = self._import(self._csv(*FIVE_ROWS), user=self.it_user)
        mdm_import.action_preview()
        return mdm_import

    def test_preview_statuses_and_changes(self):
        mdm_import = self._preview_five()
        self.assertEqual(mdm_import.state, "preview")
        lines = mdm_import.line_ids.sorted("row")
        self.assertEqual(
            [(line.row, line.status, line.equipment_id) for line in lines],
            [
                (2, "update", self.device_1),
                (3, "update", self.device_2),
                (4, "unchanged", self.device_3),
                (5, "not_in_register", self.env["maintenance.equipment"]),
                (6, "update", self.device_5),
            ],
        )
        self.assertEqual(
            lines[0].changes,
            "OS / Firmware Version: 10.0.22631.3880 → 10.0.22631.4460\n"
            "Last Check-in: 2026-05-01 08:00:00 → 2026-05-30 07:41:09",
        )
        self.assertEqual(
            lines[1].changes,
            "Device Name (MDM): – → LAP-0002\n"
            "Primary User (MDM): – → Lars.Holm@Kommun.se\n"
            "Primary User Account: – → Lars Holm\n"
            "Primary User Employee: – → Lars Holm\n"
            "Operating System: – → Windows\n"
            "OS / Firmware Version: – → 10.0.22631.4460\n"
            "Last Check-in: – → 2026-05-29 16:02:55\n"
            "Last MDM Source: – → Microsoft Intune",
        )
        self.assertFalse(lines[2].changes)
        self.assertFalse(lines[3].changes)
        self.assertEqual(lines[3].resolution, "open")
        self.assertEqual(lines[4].serial_no, "ab12CD")
        self.assertEqual(
            lines[4].changes,
            "Device Name (MDM): – → TAB-0005\n"
            "Operating System: – → iPadOS\n"
            "OS / Firmware Version: – → 17.6.1\n"
            "Last Check-in: – → 2026-05-28 09:15:00\n"
            "Last MDM Source: – → Microsoft Intune",
        )
        self.assertEqual(
            (
                mdm_import.update_count,
                mdm_import.unchanged_count,
                mdm_import.not_in_register_count,
                mdm_import.older_count,
            ),
            (3, 1, 1, 0),
        )
        # A preview writes nothing to the register.
        self.assertEqual(self.device_1.os_version, "10.0.22631.3880")
        self.assertFalse(self.device_2.mdm_last_checkin)

    def test_apply_writes_the_register(self):
        mdm_import = self._preview_five()
        device_3_before = self._device_values(self.device_3)
        mdm_import.action_apply()
        self.assertEqual(mdm_import.state, "done")
        self.assertEqual(mdm_import.applied_uid, self.it_user)
        self.assertEqual(
            self._device_values(self.device_1),
            (
                "LAP-0001",
                "anna.berg@kommun.se",
                self.env["res.users"],
                self.env["hr.employee"],
                "Windows",
                "10.0.22631.4460",
                datetime(2026, 5, 30, 7, 41, 9),
                self.intune,
            ),
        )
        self.assertEqual(
            self._device_values(self.device_2),
            (
                "LAP-0002",
                "Lars.Holm@Kommun.se",
                self.lars_user,
                self.lars_employee,
                "Windows",
                "10.0.22631.4460",
                datetime(2026, 5, 29, 16, 2, 55),
                self.intune,
            ),
        )
        self.assertEqual(self._device_values(self.device_3), device_3_before)
        self.assertEqual(
            self._device_values(self.device_5),
            (
                "TAB-0005",
                False,
                self.env["res.users"],
                self.env["hr.employee"],
                "iPadOS",
                "17.6.1",
                datetime(2026, 5, 28, 9, 15, 0),
                self.intune,
            ),
        )
        # The serial stays as the register typed it.
        self.assertEqual(self.device_5.serial_no, "AB 12 cd")
        self.assertIn("3 devices updated", mdm_import.message_ids[0].body)

    def test_second_apply_refused(self):
        mdm_import = self._preview_five()
        mdm_import.action_apply()
        self.device_1.os_version = "changed by hand"
        with self.assertRaisesRegex(UserError, "already applied"):
            mdm_import.action_apply()
        self.assertEqual(self.device_1.os_version, "changed by hand")
        with self.assertRaisesRegex(UserError, "already applied|is applied"):
            mdm_import.action_preview()
        with self.assertRaisesRegex(UserError, "is applied"):
            mdm_import.unlink()

    def test_reimport_same_file_changes_nothing(self):
        self._preview_five().action_apply()
        before = [
            self._device_values(device)
            for device in (self.device_1, self.device_2, self.device_3, self.device_5)
        ]
        again = self._preview_five()
        self.assertEqual(
            again.line_ids.sorted("row").mapped("status"),
            ["unchanged", "unchanged", "unchanged", "not_in_register", "unchanged"],
        )
        self.assertFalse(any(again.line_ids.mapped("changes")))
        again.action_apply()
        self.assertEqual(
            [
                self._device_values(device)
                for device in (
                    self.device_1,
                    self.device_2,
                    self.device_3,
                    self.device_5,
                )
            ],
            before,
        )

    def test_older_export_does_not_overwrite(self):
        mdm_import = self._import(
            self._csv(
                "OLD-NAME,PC-0001,anna.berg@kommun.se,Windows,10.0.19045.1,"
                "2026-04-01 10:00:00"
            )
        )
        mdm_import.action_preview()
        self.assertEqual(mdm_import.line_ids.status, "older")
        self.assertFalse(mdm_import.line_ids.changes)
        mdm_import.action_apply()
        self.assertEqual(self.device_1.mdm_device_name, "LAP-0001")
        self.assertEqual(self.device_1.mdm_last_checkin, datetime(2026, 5, 1, 8))

    def test_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Kommun B"})
        device_b = self._create_device("XYZ-9999", company_id=company_b.id)
        mdm_import = self._preview_five()
        line = mdm_import.line_ids.filtered(lambda line: line.row == 5)
        self.assertEqual(line.status, "not_in_register")
        self.assertFalse(line.equipment_id)
        mdm_import.action_apply()
        self.assertFalse(device_b.mdm_last_checkin)

    def test_changed_file_resets_the_preview(self):
        mdm_import = self._preview_five()
        mdm_import.file = self._csv(FIVE_ROWS[0])
        self.assertEqual(mdm_import.state, "draft")
        self.assertFalse(mdm_import.line_ids)
        with self.assertRaisesRegex(UserError, "preview it before"):
            mdm_import.action_apply()
        with self.assertRaisesRegex(UserError, "Preview and Apply"):
            mdm_import.write({"state": "done"})

    def test_xlsx_export(self):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(
            ["Device name", "Serial number", "Primary user UPN", "OS", "OS version",
             "Last check-in"]
        )  # fmt: skip
        sheet.append(
            ["LAP-0002", "PC-0002", "", "Windows", "10.0.22631.4460",
             datetime(2026, 5, 29, 16, 2, 55)]
        )  # fmt: skip
        buffer = io.BytesIO()
        workbook.save(buffer)
        mdm_import = self._import(base64.b64encode(buffer.getvalue()))
        mdm_import.action_preview()
        mdm_import.action_apply()
        self.assertEqual(self.device_2.mdm_device_name, "LAP-0002")
        self.assertEqual(
            self.device_2.mdm_last_checkin, datetime(2026, 5, 29, 16, 2, 55)
        )

    def test_query_count_does_not_grow_with_rows(self):
        """Preview and apply of a weekly export (only the check-ins move) run
        the same queries for 10 or 40 devices: one query matches the serials,
        one statement writes the check-ins."""

        def run(count, offset):
            devices = self.env["maintenance.equipment"].create(
                [
                    {
                        "name": f"Scale {offset + n}",
                        "serial_no": f"S-{offset + n}",
                        "mdm_device_name": "LAP-S",
                        "mdm_os": "Windows",
                        "os_version": "11",
                    }
                    for n in range(count)
                ]
            )
            rows = [
                f"LAP-S,S-{offset + n},,Windows,11,2026-05-30 10:00:00"
                for n in range(count)
            ]
            mdm_import = self._import(self._csv(*rows))
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            mdm_import.action_preview()
            mdm_import.action_apply()
            self.env.flush_all()
            self.assertEqual(
                set(devices.mapped("mdm_last_checkin")),
                {datetime(2026, 5, 30, 10)},
            )
            return self.env.cr.sql_log_count - start

        run(5, 200)  # the first run fills the caches of the registry
        self.assertEqual(run(10, 0), run(40, 100))
