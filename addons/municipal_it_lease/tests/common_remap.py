# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import Command

from .common_charge import ItChargeCommon


class ItRemapCommon(ItChargeCommon):
    """Two devices on the 2026 plan and the codes of the 2027 plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.code_school_2027, cls.code_care_2027 = cls.env[
            "account.analytic.account"
        ].create(
            [
                {"name": "Grundskola 2027", "code": "3300", "plan_id": cls.plan.id},
                {"name": "Äldreomsorg 2027", "code": "4200", "plan_id": cls.plan.id},
            ]
        )
        cls.school_device = cls._leased_device("RM-1", 400.0, cls.code_school)
        cls.care_device = cls._leased_device("RM-2", 310.0, cls.code_care)
        cls.schedule.action_activate()
        cls.Remap = cls.env["it.activity.code.remap"]

    @classmethod
    def _remap(cls, effective_date, pairs):
        return cls.Remap.create(
            {
                "effective_date": effective_date,
                "line_ids": [
                    Command.create({"sequence": n, "old_code": old, "new_code": new})
                    for n, (old, new) in enumerate(pairs, start=2)
                ],
            }
        )

    def _codes(self, device):
        """The device's history as [(code, from, to)]."""
        return [
            (a.activity_code_id.code, a.date_from, a.date_to)
            for a in self.env["it.activity.code.assignment"].search(
                [("equipment_id", "=", device.id)]
            )
        ]

    def _import(self, remap, content, filename="mapping.csv"):
        remap.write(
            {"import_file": base64.b64encode(content), "import_filename": filename}
        )
        return remap.action_import_file()
