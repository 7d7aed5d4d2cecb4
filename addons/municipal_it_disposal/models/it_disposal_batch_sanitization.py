# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ItDisposalBatch(models.Model):
    """A crate's sanitization: the recipient's reports and certificates, the
    media still without one, and the step that records the crate sanitized."""

    _inherit = "it.disposal.batch"

    report_ids = fields.One2many(
        "it.wipe.report", "batch_id", string="Sanitization Reports"
    )
    unmatched_certificate_ids = fields.Many2many(
        "it.wipe.certificate",
        string="Unmatched Certificates",
        compute="_compute_sanitization",
    )
    failed_certificate_ids = fields.Many2many(
        "it.wipe.certificate",
        string="Failed Erasures",
        compute="_compute_sanitization",
    )
    missing_medium_ids = fields.Many2many(
        "it.storage.medium",
        string="Media Without Certificate",
        compute="_compute_sanitization",
    )

    @api.depends(
        "report_ids.certificate_ids.is_matched",
        "line_ids.equipment_id.storage_medium_ids.wipe_state",
        "line_ids.equipment_id.storage_medium_ids.certificate_ids.status",
    )
    def _compute_sanitization(self):
        for batch in self:
            media = batch.line_ids.equipment_id.storage_medium_ids
            batch.unmatched_certificate_ids = batch.report_ids.certificate_ids.filtered(
                lambda certificate: not certificate.is_matched
            )
            batch.failed_certificate_ids = media.certificate_ids.filtered(
                lambda certificate: certificate.status == "not_erased"
            )
            batch.missing_medium_ids = media.filtered(
                lambda medium: medium.wipe_state == "missing"
            )

    def action_sanitized(self):
        """Every device received and every storage medium released by an
        accepted certificate of its level."""
        self._check_state("received")
        for batch in self:
            in_transit = batch.line_ids.filtered(
                lambda line: line.receipt_state != "received"
            )
            if in_transit:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s: receipt not yet confirmed for %(serials)s.",
                        crate=batch.display_name,
                        serials=", ".join(in_transit.mapped("serial_no")),
                    )
                )
            # Checked on the certificates themselves, as settling does, not
            # on the stored wipe status.
            problems = [
                self.env._(
                    "%(device)s, medium %(medium)s %(problem)s",
                    device=medium.equipment_id.display_name,
                    medium=medium.serial_no,
                    problem=problem,
                )
                for medium in batch.line_ids.equipment_id.storage_medium_ids
                if (problem := medium._get_wipe_problem())
            ]
            if problems:
                raise ValidationError(
                    self.env._(
                        "Crate %(crate)s is not sanitized:\n%(problems)s",
                        crate=batch.display_name,
                        problems="\n".join(problems),
                    )
                )
            batch._set_state("sanitized")
            batch._log_event("sanitized")
        return True

    def action_open_import_report(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Sanitization Report"),
            "res_model": "it.wipe.report.import",
            "view_mode": "form",
            "target": "new",
            "context": {"default_batch_id": self.id},
        }
