# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import MdmCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmAccess(MdmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Maintenance's equipment manager, without the IT leasing groups.
        cls.maintenance_user = new_test_user(
            cls.env,
            login="maintenance_only",
            groups="base.group_user,maintenance.group_equipment_manager",
        )
        cls.mdm_import = cls._import(
            cls._csv("LAP-0002,PC-0002,,Windows,11,2026-05-30 10:00:00")
        )
        cls.mdm_import.action_preview()

    def test_without_it_group_cannot_apply(self):
        with self.assertRaisesRegex(AccessError, "apply a device management import"):
            self.mdm_import.with_user(self.maintenance_user).action_apply()
        with self.assertRaisesRegex(AccessError, "preview a device management import"):
            self.mdm_import.with_user(self.maintenance_user).action_preview()
        with self.assertRaises(AccessError):
            self.env["it.mdm.import"].with_user(self.maintenance_user).search([])
        self.assertEqual(self.mdm_import.state, "preview")
        self.assertFalse(self.device_2.mdm_last_checkin)

    def test_it_user_applies_but_does_not_map(self):
        self.mdm_import.with_user(self.it_user).action_apply()
        self.assertEqual(self.mdm_import.state, "done")
        with self.assertRaises(AccessError):
            self.intune.with_user(self.it_user).not_seen_days = 5
        self.intune.with_user(self.it_manager).not_seen_days = 5
        self.assertEqual(self.intune.not_seen_days, 5)

    def test_other_company_sees_nothing(self):
        company_b = self.env["res.company"].create({"name": "Kommun B"})
        user_b = new_test_user(
            self.env,
            login="it_manager_b",
            groups="municipal_it_lease.municipal_it_lease_group_manager",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        Import = self.env["it.mdm.import"].with_user(user_b)
        self.assertFalse(Import.search([("id", "=", self.mdm_import.id)]))
        self.assertFalse(
            self.env["it.mdm.source"]
            .with_user(user_b)
            .search([("id", "=", self.intune.id)])
        )
        with self.assertRaises(AccessError):
            self.mdm_import.with_user(user_b).action_apply()
