# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Preview, Apply and the review buttons write the import and its rows with
sudo(): each keeps the user's rights (another company's IT user, an internal
user without IT Leasing and a portal user are refused before anything is
written) and the import's state."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.sudo_steps import SudoStepsMixin

from .common import MdmCommon

IT_USER = "municipal_it_lease.municipal_it_lease_group_user"
UNKNOWN_ROW = "LAP-9999,XYZ-9999,okand@kommun.se,Windows,11,2026-05-30 08:30:00"
UPDATE_ROW = "LAP-0002,PC-0002,,Windows,11,2026-05-30 10:00:00"


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmSudoSteps(SudoStepsMixin, MdmCommon):
    _prefix = "sudo_mdm"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_attackers(cls.company, IT_USER)

    def _watch(self):
        return [
            (
                "it.mdm.import",
                [],
                ["state", "mapped_fields", "date_applied", "applied_uid"],
            ),
            (
                "it.mdm.import.line",
                [],
                ["status", "resolution", "equipment_id", "changes"],
            ),
            (
                "maintenance.equipment",
                [],
                ["name", "os_version", "mdm_last_checkin", "mdm_source_id"],
            ),
        ]

    def test_preview_and_apply(self):
        mdm_import = self._import(self._csv(UPDATE_ROW, UNKNOWN_ROW), user=self.it_user)
        buttons = ("action_preview", "action_apply")
        self.assertStepsRefused(mdm_import, buttons, self._watch())
        # Applied only once previewed.
        self.assertStepsRefused(
            mdm_import, "action_apply", self._watch(), self.it_user, UserError
        )
        mdm_import.with_user(self.it_user).action_preview()
        self.assertStepsRefused(mdm_import, "action_apply", self._watch())
        mdm_import.with_user(self.it_user).action_apply()
        self.assertEqual(mdm_import.state, "done")
        # Applied: neither previewed nor applied again.
        self.assertStepsRefused(
            mdm_import, buttons, self._watch(), self.it_user, UserError
        )

    def test_review_buttons(self):
        mdm_import = self._import(self._csv(UNKNOWN_ROW), user=self.it_user)
        mdm_import.action_preview()
        line = mdm_import.line_ids
        buttons = ("action_create_device", "action_dismiss")
        # Before the import is applied, no row is reviewed.
        self.assertStepsRefused(line, buttons, self._watch(), self.it_user, UserError)
        mdm_import.action_apply()
        self.assertStepsRefused(line, buttons, self._watch())
        # Reopened only once dismissed.
        self.assertStepsRefused(
            line, "action_reopen", self._watch(), self.it_user, UserError
        )
        line.with_user(self.it_user).action_dismiss()
        self.assertEqual(line.resolution, "dismissed")
        self.assertStepsRefused(line, "action_reopen", self._watch())
        # Dismissed: no device is created from it.
        self.assertStepsRefused(
            line, "action_create_device", self._watch(), self.it_user, UserError
        )

    def test_step_drops_system_defaults(self):
        """Preview, Apply and a device created from a row, with the import's
        and the rows' system fields as defaults of the request's context: the
        records the steps create take none of them."""
        forged = {
            "default_state": "done",
            "default_applied_uid": self.it_manager.id,
            "default_date_applied": "2020-01-01 00:00:00",
            "default_mapped_fields": "mdm_os",
            "default_resolution": "dismissed",
        }
        mdm_import = self._import(self._csv(UNKNOWN_ROW), user=self.it_user)
        mdm_import = mdm_import.with_context(**forged)
        mdm_import.action_preview()
        self.assertEqual(
            (mdm_import.state, mdm_import.applied_uid, mdm_import.line_ids.resolution),
            ("preview", self.env["res.users"], "open"),
        )
        mdm_import.action_apply()
        line = mdm_import.line_ids.with_context(**forged)
        self.assertEqual(
            (mdm_import.applied_uid, line.resolution), (self.it_user, "open")
        )
        line.action_create_device()
        self.assertEqual(
            (line.resolution, line.equipment_id.serial_no), ("created", "XYZ-9999")
        )
