# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MdmCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmNotSeen(MdmCommon):
    """Today is 2026-05-31 and Intune's limit is 30 days: a device last seen
    on 2026-04-30 (31 days ago) is flagged, on 2026-05-01 (30 days) not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Equipment = cls.env["maintenance.equipment"]
        in_use = {
            "lifecycle_state": "in_use",
            "activity_code_id": cls.code_school.id,
            "mdm_source_id": cls.intune.id,
        }
        cls.seen_31 = cls._create_device(
            "N-31", **in_use, mdm_last_checkin=datetime(2026, 4, 30, 23, 59, 59)
        )
        cls.seen_30 = cls._create_device(
            "N-30", **in_use, mdm_last_checkin=datetime(2026, 5, 1, 0, 0, 0)
        )
        cls.in_stock_old = cls._create_device(
            "N-STOCK",
            mdm_source_id=cls.intune.id,
            mdm_last_checkin=datetime(2026, 1, 1),
        )
        cls.archived_old = cls._create_device(
            "N-ARCH", **in_use, mdm_last_checkin=datetime(2026, 1, 1), active=False
        )
        # Maintenance's other equipment never checks in with device management.
        cls.not_it = cls._create_device(
            "N-PRINTER",
            **in_use,
            mdm_last_checkin=datetime(2026, 1, 1),
            is_it_device=False,
        )
        cls.never = cls.device_2
        cls.devices = Equipment.with_context(active_test=False).browse(
            (
                cls.seen_31
                | cls.seen_30
                | cls.in_stock_old
                | cls.archived_old
                | cls.not_it
                | cls.never
            ).ids
        )

    def _flagged(self):
        return self.devices.search(
            [("id", "in", self.devices.ids), ("mdm_not_seen", "=", True)]
        )

    def _apply_import(self):
        mdm_import = self._import(
            self._csv("LAP-0003,PC-0003,,Windows,11,2026-05-30 10:00:00")
        )
        mdm_import.action_preview()
        mdm_import.action_apply()

    def test_flag_by_days(self):
        self.assertEqual(self._flagged(), self.seen_31)
        self.devices.invalidate_recordset(["mdm_not_seen"])
        self.assertEqual(self.devices.filtered("mdm_not_seen"), self.seen_31)
        self.assertEqual(self.seen_31.mdm_days_since_checkin, 31)
        self.assertEqual(self.seen_30.mdm_days_since_checkin, 30)
        not_flagged = self.devices.search(
            [("id", "in", self.devices.ids), ("mdm_not_seen", "=", False)]
        )
        self.assertEqual(
            not_flagged,
            self.seen_30
            | self.in_stock_old
            | self.archived_old
            | self.not_it
            | self.never,
        )

    def test_limit_of_the_source(self):
        self.intune.not_seen_days = 29
        self.assertEqual(self._flagged(), self.seen_31 | self.seen_30)

    def test_never_seen_once_the_company_imports(self):
        self.assertNotIn(self.never, self._flagged())
        self._apply_import()
        self.assertEqual(self._flagged(), self.seen_31 | self.never)
        # Seen again: no longer flagged.
        mdm_import = self._import(
            self._csv("LAP-0002,PC-0002,,Windows,11,2026-05-31 08:00:00")
        )
        mdm_import.action_preview()
        mdm_import.action_apply()
        self.assertEqual(self._flagged(), self.seen_31)

    def test_next_day(self):
        with freeze_time("2026-06-01 00:30:00"):
            self.assertEqual(self._flagged(), self.seen_31 | self.seen_30)
