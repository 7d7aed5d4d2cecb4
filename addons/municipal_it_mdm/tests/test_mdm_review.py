# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MdmCommon

UNKNOWN_ROW = "LAP-9999,XYZ-9999,okand@kommun.se,Windows,11,2026-05-30 08:30:00"


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmReview(MdmCommon):
    """Devices seen but not in the register: created or dismissed, once."""

    def _apply(self, *rows):
        mdm_import = self._import(self._csv(*rows), user=self.it_user)
        mdm_import.action_preview()
        mdm_import.action_apply()
        return mdm_import.line_ids.filtered(
            lambda line: line.status == "not_in_register"
        )

    def test_not_reviewable_before_apply(self):
        mdm_import = self._import(self._csv(UNKNOWN_ROW), user=self.it_user)
        mdm_import.action_preview()
        with self.assertRaisesRegex(UserError, "not a device to review"):
            mdm_import.line_ids.action_dismiss()

    def test_create_device(self):
        line = self._apply(UNKNOWN_ROW)
        action = line.action_create_device()
        device = line.equipment_id
        self.assertEqual(action["res_id"], device.id)
        self.assertEqual(line.resolution, "created")
        self.assertEqual(
            (
                device.name,
                device.serial_no,
                device.company_id,
                device.mdm_primary_user,
                device.mdm_last_checkin,
                device.mdm_source_id,
                device.lifecycle_state,
            ),
            ("LAP-9999", "XYZ-9999", self.company, "okand@kommun.se",
             datetime(2026, 5, 30, 8, 30), self.intune, "in_stock"),
        )  # fmt: skip
        with self.assertRaisesRegex(UserError, "not a device to review"):
            line.action_create_device()
        # The next import finds it in the register.
        mdm_import = self._import(self._csv(UNKNOWN_ROW))
        mdm_import.action_preview()
        self.assertEqual(mdm_import.line_ids.status, "unchanged")

    def test_dismissal_carries_forward_and_rows_are_listed_once(self):
        first = self._apply(UNKNOWN_ROW, "TAB-8888,NEW-8888,,iOS,17,2026-05-30 08:00")
        first.filtered(lambda line: line.serial_no == "XYZ-9999").action_dismiss()
        second = self._apply(UNKNOWN_ROW, "TAB-8888,NEW-8888,,iOS,17,2026-05-31 08:00")
        self.assertEqual(
            {(line.serial_no, line.resolution) for line in first},
            {("XYZ-9999", "dismissed"), ("NEW-8888", "superseded")},
        )
        self.assertEqual(
            {(line.serial_no, line.resolution) for line in second},
            {("XYZ-9999", "dismissed"), ("NEW-8888", "open")},
        )
        to_review = self.env["it.mdm.import.line"].search(
            [("status", "=", "not_in_register"), ("resolution", "=", "open")]
        )
        self.assertEqual(to_review.mapped("serial_no"), ["NEW-8888"])

    def test_applied_rows_are_kept(self):
        line = self._apply(UNKNOWN_ROW)
        # Users only read rows; the import's own steps do not touch an
        # applied import's rows either.
        with self.assertRaises(AccessError):
            line.write({"status": "update"})
        with self.assertRaises(AccessError):
            line.unlink()
        with self.assertRaises(AccessError):
            line.copy()
        step = line.sudo()
        with self.assertRaisesRegex(UserError, "is applied"):
            step.write({"status": "update"})
        with self.assertRaisesRegex(UserError, "is applied"):
            step.unlink()
        with self.assertRaisesRegex(UserError, "is applied"):
            step.copy()
