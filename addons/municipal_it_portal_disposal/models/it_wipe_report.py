# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ItWipeReport(models.Model):
    _inherit = "it.wipe.report"

    def _it_portal_crate(self):
        """The crate a lessor's portal user imports this report for (context
        ``it_portal_crate_id``), sudoed; an empty recordset otherwise."""
        return (
            self.env["it.disposal.batch"]
            .sudo()
            .browse(self.env.context.get("it_portal_crate_id"))
        )

    def _match_erasures(self, company, erasures, errors):
        # A medium the register holds on a device outside the lessor's crate
        # is refused without naming that device: the lessor learns nothing of
        # the municipality's other devices, and certifies none of them.
        crate = self._it_portal_crate()
        if not crate:
            return super()._match_erasures(company, erasures, errors)
        normalize = self.env["maintenance.equipment"]._normalize_serial
        outside = set(
            self.env["it.storage.medium"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    (
                        "serial_no_normalized",
                        "in",
                        [normalize(erasure["medium_serial"]) for erasure in erasures],
                    ),
                    ("equipment_id", "not in", crate.line_ids.equipment_id.ids),
                ]
            )
            .mapped("serial_no_normalized")
        )
        kept = []
        for erasure in erasures:
            if normalize(erasure["medium_serial"]) in outside:
                errors.append(
                    (
                        erasure["row"],
                        "outside_crate",
                        {
                            "value": erasure["medium_serial"],
                            "crate": crate.display_name,
                        },
                    )
                )
            else:
                kept.append(erasure)
        return super()._match_erasures(company, kept, errors)

    def _read_register(self, company, erasures):
        # For a lessor's crate the register is the crate's devices and their
        # media: any other serial is answered as one the register lacks.
        devices, media, imported = super()._read_register(company, erasures)
        crate = self._it_portal_crate()
        if crate:
            crate_devices = set(crate.line_ids.equipment_id.ids)
            devices = {
                key: device
                for key, device in devices.items()
                if device[0] in crate_devices
            }
            media = {
                key: medium
                for key, medium in media.items()
                if medium[1] in crate_devices
            }
            imported = {(ref, key) for ref, key in imported if key in media}
        return devices, media, imported

    def _error_message(self, code, params):
        if code == "outside_crate":
            return self.env._(
                "medium %(value)s is on a device that is not in crate %(crate)s",
                value=params["value"],
                crate=params["crate"],
            )
        return super()._error_message(code, params)
