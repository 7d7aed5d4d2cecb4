# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import JAMF_HEADER, MdmCommon

JAMF_ROW = "MAC-0002,PC-0002,lars.holm,macOS,14.6.1,2026-05-30 at 7:41 AM"


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmMapping(MdmCommon):
    def test_default_mappings(self):
        self.assertEqual(
            [
                self.intune[name]
                for name in (
                    "serial_column",
                    "device_name_column",
                    "primary_user_column",
                    "os_column",
                    "os_version_column",
                    "checkin_column",
                )
            ],
            ["Serial number", "Device name", "Primary user UPN", "OS", "OS version",
             "Last check-in"],
        )  # fmt: skip
        self.assertEqual(self.jamf.device_name_column, "Computer Name")
        sccm = self.env.ref("municipal_it_mdm.it_mdm_source_sccm")
        self.assertEqual(sccm.kind, "sccm")

    def test_jamf_file_with_jamf_source(self):
        mdm_import = self._import(self._csv(JAMF_ROW, header=JAMF_HEADER), self.jamf)
        mdm_import.action_preview()
        mdm_import.action_apply()
        # 07:41 in Stockholm in summer time is 05:41 UTC.
        self.assertEqual(
            (
                self.device_2.mdm_device_name,
                self.device_2.mdm_primary_user,
                self.device_2.mdm_os,
                self.device_2.os_version,
                self.device_2.mdm_last_checkin,
                self.device_2.mdm_source_id,
            ),
            ("MAC-0002", "lars.holm", "macOS", "14.6.1", datetime(2026, 5, 30, 5, 41),
             self.jamf),
        )  # fmt: skip

    def test_jamf_file_with_intune_source_names_missing_headers(self):
        mdm_import = self._import(self._csv(JAMF_ROW, header=JAMF_HEADER))
        with self.assertRaisesRegex(
            UserError,
            r"lacks the column\(s\): device name \(Device name\); primary user "
            r"\(Primary user UPN\); operating system \(OS\); OS version \(OS "
            r"version\)\. It has: Computer Name, Serial Number",
        ):
            mdm_import.action_preview()

    def test_edited_mapping_is_used_by_the_next_import(self):
        self.intune.write(
            {
                "device_name_column": "Enhetsnamn",
                "primary_user_column": False,
                "os_column": False,
                "os_version_column": False,
                "checkin_column": "Senaste incheckning",
                "date_formats": "%d.%m.%Y %H:%M",
            }
        )
        mdm_import = self._import(
            self._csv(
                "PC-0001;LAP-NY;30.05.2026 09:00",
                header="Serial number;Enhetsnamn;Senaste incheckning",
            )
        )
        mdm_import.action_preview()
        line = mdm_import.line_ids
        self.assertEqual(
            line.changes,
            "Device Name (MDM): LAP-0001 → LAP-NY\n"
            "Last Check-in: 2026-05-01 08:00:00 → 2026-05-30 09:00:00",
        )
        mdm_import.action_apply()
        # Columns the mapping leaves out are left as they are.
        self.assertEqual(self.device_1.mdm_primary_user, "anna.berg@kommun.se")
        self.assertEqual(self.device_1.os_version, "10.0.22631.3880")

    def test_serial_header_alternatives(self):
        self.intune.serial_column = "Serienummer|Serial number"
        mdm_import = self._import(
            self._csv(
                "LAP-0002,PC-0002,,Windows,11,2026-05-30 10:00:00",
                header="Device name,SERIENUMMER,Primary user UPN,OS,OS version,"
                "Last check-in",
            )
        )
        mdm_import.action_preview()
        self.assertEqual(mdm_import.line_ids.equipment_id, self.device_2)
