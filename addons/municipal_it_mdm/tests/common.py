# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import datetime

from odoo.addons.municipal_it_lease.tests.common import ItLeaseCommon

INTUNE_HEADER = "Device name,Serial number,Primary user UPN,OS,OS version,Last check-in"
JAMF_HEADER = (
    "Computer Name,Serial Number,Username,Operating System,"
    "Operating System Version,Last Check-in"
)


class MdmCommon(ItLeaseCommon):
    """The Intune and Jamf sources of the data file, and a register of four
    devices in use: one seen before by Intune, one never seen, one exactly
    as the export below has it, and one whose serial is typed with spaces
    and in other letter case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intune = cls.env.ref("municipal_it_mdm.it_mdm_source_intune")
        cls.jamf = cls.env.ref("municipal_it_mdm.it_mdm_source_jamf")
        # The data records belong to the main company; the tests run in the
        # current one, which may differ.
        (cls.intune | cls.jamf).write({"company_id": cls.company.id})
        cls.intune.not_seen_days = 30
        in_use = {"lifecycle_state": "in_use", "activity_code_id": cls.code_school.id}
        cls.device_1 = cls._create_device(
            "PC-0001",
            **in_use,
            mdm_device_name="LAP-0001",
            mdm_primary_user="anna.berg@kommun.se",
            mdm_os="Windows",
            os_version="10.0.22631.3880",
            mdm_last_checkin=datetime(2026, 5, 1, 8, 0, 0),
            mdm_source_id=cls.intune.id,
        )
        cls.device_2 = cls._create_device("PC-0002", **in_use)
        cls.device_3 = cls._create_device(
            "PC-0003",
            **in_use,
            mdm_device_name="LAP-0003",
            mdm_primary_user="eva.lind@kommun.se",
            mdm_os="Windows",
            os_version="10.0.22631.4460",
            mdm_last_checkin=datetime(2026, 5, 30, 6, 0, 0),
            mdm_source_id=cls.intune.id,
        )
        cls.device_5 = cls._create_device("AB 12 cd", **in_use)
        cls.lars_user = cls.env["res.users"].create(
            {"name": "Lars Holm", "login": "lars.holm@kommun.se"}
        )
        cls.lars_employee = cls.env["hr.employee"].create(
            {"name": "Lars Holm", "work_email": "lars.holm@kommun.se"}
        )

    @classmethod
    def _csv(cls, *lines, header=INTUNE_HEADER):
        return base64.b64encode("\r\n".join((header, *lines)).encode())

    @classmethod
    def _import(cls, content, source=None, user=None):
        """A draft import of ``content`` (base64) created as ``user``."""
        env = cls.env(user=user) if user else cls.env
        return env["it.mdm.import"].create(
            {
                "source_id": (source or cls.intune).id,
                "file": content,
                "filename": "export.csv",
            }
        )

    def _device_values(self, device):
        """What the register holds of ``device`` from device management."""
        device.invalidate_recordset()
        return (
            device.mdm_device_name,
            device.mdm_primary_user,
            device.mdm_user_id,
            device.mdm_employee_id,
            device.mdm_os,
            device.os_version,
            device.mdm_last_checkin,
            device.mdm_source_id,
        )
