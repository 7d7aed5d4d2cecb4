# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from odoo import fields, models

# The demo crates' states, in the order the steps reach them.
DEMO_STATES = [
    "sealed",
    "collected",
    "received",
    "sanitized",
    "graded",
    "disputed",
    "settled",
]


class ItDisposalBatch(models.Model):
    """Demo data: crates walked through the real steps."""

    _inherit = "it.disposal.batch"

    def _demo_advance(self, state):
        """Walk demo crates through the real steps up to ``state`` (demo data
        only: one crate in each state)."""
        target = DEMO_STATES.index(state)
        for batch in self:
            batch.action_seal()
            if target >= 1:
                batch._demo_collect()
            if target >= 2:
                batch._confirm_receipt(
                    " ".join(batch.line_ids.mapped("serial_no")),
                    fields.Date.context_today(self),
                    batch.seal_numbers,
                    "Lager Eskilstuna",
                    "Eskilstuna",
                )
            if target >= 3:
                batch._demo_sanitize()
            if target >= 4:
                batch._demo_grade()
            if target == 5:
                batch.line_ids[:1].action_agree()
                batch.line_ids[1:].action_dispute(
                    "Grad D men datorn var hel vid packning (foto i lådan)."
                )
            if target == 6:
                batch.line_ids.action_agree()
                batch.action_settle()
        return True

    def _demo_collect(self):
        self.ensure_one()
        self.write(
            {
                "handed_over_by_id": self.env.ref("base.user_admin").id,
                "collected_by": "Kalle Chaufför",
                "collection_location": "Stadshuset, lastkaj 2",
            }
        )
        self.action_collect()

    def _demo_sanitize(self):
        """Import a sanitization report certifying every medium of the
        crate (destroyed for a classified device), then record it sanitized."""
        self.ensure_one()
        rows = "\n".join(
            f"DEMO-{self.id},{line.serial_no},"
            f"{line.equipment_id.storage_medium_ids[:1].serial_no},"
            "NIST 800-88 Purge,Purge,Blancco Drive Eraser,7.9.0,erased,"
            "Operatör 1,2026-03-11T09:00:00Z,verified"
            if not line.is_classified
            else f"DEMO-{self.id},{line.serial_no},"
            f"{line.equipment_id.storage_medium_ids[:1].serial_no},"
            "Shredding,Destroy,Kross,1,erased,Operatör 1,"
            "2026-03-11T09:00:00Z,visual"
            for line in self.line_ids
        )
        header = (
            "report_id,device_serial,medium_serial,method,level,tool,"
            "tool_version,status,operator,timestamp,verification\n"
        )
        self.env["it.wipe.report"]._import_file(
            (header + rows + "\n").encode(), f"demo-{self.id}.csv", self
        )
        self.action_sanitized()

    def _demo_grade(self):
        """The recipient's grades: the first device remarketed for 1,500,
        the second recycled with a damage charge of 250."""
        self.ensure_one()
        for value, line in zip((1500.0, 0.0), self.line_ids, strict=False):
            line.write(
                {
                    "grade": "a" if value else "d",
                    "offered_value": value,
                    "damage_charge": 0.0 if value else 250.0,
                    "disposition": "remarket" if value else "recycle",
                }
            )
        self.action_graded()
