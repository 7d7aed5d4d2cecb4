# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import date

from odoo.tests import HttpCase, new_test_user

from odoo.addons.municipal_it_lease.tests.common_charge import ItChargeCommon


class CratePortalCommon(ItChargeCommon, HttpCase):
    """Crate BUR-17 of three leased laptops RA-1, RA-2, RA-3 (each with one
    SSD, decided for return), sealed with S-1001 and S-1002, sent to the
    lessor and collected on 2026-03-02 with a receipt deadline 10 days on;
    portal users of the lessor and of another lessor, and an internal user
    without rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.it_boss = new_test_user(
            cls.env,
            login="crate_boss",
            name="Karin Chef",
            groups="municipal_it_lease.municipal_it_lease_group_manager",
        )
        cls.company.write(
            {
                "it_disposal_receipt_days": 10,
                "it_disposal_escalation_days": 10,
                "it_disposal_wipe_level": "purge",
                "it_portal_responsible_id": cls.it_boss.id,
            }
        )
        # The lease ends at pickup: the receipt only confirms custody.
        cls.return_schedule = cls._create_schedule(
            "RET-1", date(2023, 3, 1), 36, return_end_basis="pickup"
        )
        cls.devices = cls.env["maintenance.equipment"]
        for serial, code in (
            ("RA-1", cls.code_school),
            ("RA-2", cls.code_school),
            ("RA-3", cls.code_care),
        ):
            cls.devices |= cls._leased_device(
                serial, 310.0, code, schedule=cls.return_schedule
            )
        cls.return_schedule.action_activate()
        cls.return_schedule.line_ids._decide_return()
        cls.env["it.storage.medium"].create(
            [
                {"equipment_id": device.id, "serial_no": medium, "medium_type": "ssd"}
                for device, medium in zip(
                    cls.devices, ("SSD-A1", "SSD-B1", "SSD-C1"), strict=True
                )
            ]
        )
        cls.other_lessor = cls.env["res.partner"].create(
            {"name": "Annan Leasing AB", "is_company": True}
        )
        cls.portal = cls._portal_user("crate_lessor", "Petra Portal", cls.lessor)
        cls.portal_other = cls._portal_user(
            "crate_other", "Olle Annan", cls.other_lessor
        )
        cls.internal = new_test_user(
            cls.env, login="crate_internal", name="Ingen Behörighet"
        )
        cls.batch = cls._batch()
        cls.batch.action_seal()
        cls._collect(cls.batch)

    @classmethod
    def _batch(cls, devices=None, **values):
        batch = cls.env["it.disposal.batch"].create(
            {
                "recipient_id": cls.lessor.id,
                "crate_number": "BUR-17",
                "seal_numbers": "S-1001, S-1002",
                **values,
            }
        )
        devices = cls.devices if devices is None else devices
        if devices:
            batch._add_serials("\n".join(devices.mapped("serial_no")))
        return batch

    @classmethod
    def _collect(cls, batch, pickup=date(2026, 3, 2)):
        batch.write(
            {
                "handed_over_by_id": cls.it_boss.id,
                "collected_by": "Kalle Chaufför",
                "collection_location": "Stadshuset, lastkaj",
                "pickup_date": pickup,
            }
        )
        batch.action_collect()

    @classmethod
    def _portal_user(cls, login, name, lessor):
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="base.group_portal",
            email=f"{login}@lessor.example",
        )
        user.partner_id.parent_id = lessor
        return user

    def _get(self, url, login=None):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, login, data, files=None):
        self.authenticate(login, login)
        page = self.url_open("/my/account")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(
            url, data=dict(data, csrf_token=csrf), files=files, allow_redirects=False
        )
