# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.wipe_rules import (
    DEFAULT_LEVEL,
    LEVEL_RANK,
    medium_wipe_state,
    releasing_domain,
)


class ItStorageMedium(models.Model):
    """A storage medium (disk, SSD, eMMC...) inside a device: what a wipe
    certificate is about. Its wipe status (from the certificates) and the
    serial number the imports match are computed: ``it_system`` fields."""

    _name = "it.storage.medium"
    _description = "Storage Medium"
    _inherit = ["it.system.fields.mixin"]
    _order = "equipment_id, id"
    _check_company_auto = True

    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, precompute=True
    )
    medium_type = fields.Selection(
        selection=[
            ("hdd", "Hard disk (HDD)"),
            ("ssd", "SSD (SATA)"),
            ("nvme", "SSD (NVMe)"),
            ("emmc", "eMMC / soldered flash"),
            ("flash", "Removable flash"),
            ("other", "Other"),
        ],
        string="Type",
        default="ssd",
        required=True,
    )
    serial_no = fields.Char(string="Serial Number", required=True)
    serial_no_normalized = fields.Char(
        compute="_compute_serial_no_normalized", store=True, index=True, it_system=True
    )
    capacity_gb = fields.Float(string="Capacity (GB)", digits=(16, 1))
    model = fields.Char()
    certificate_ids = fields.One2many(
        "it.wipe.certificate", "medium_id", string="Wipe Certificates"
    )
    wipe_state = fields.Selection(
        selection=[
            ("missing", "No certificate"),
            ("failed", "Erasure failed"),
            ("exception", "Exceptions not accepted"),
            ("insufficient", "Level too low"),
            ("done", "Sanitized"),
        ],
        string="Wipe Status",
        compute="_compute_wipe_state",
        store=True,
        index=True,
        it_system=True,
    )

    _sql_constraints = [
        (
            "serial_uniq",
            "unique(company_id, serial_no_normalized)",
            "Another storage medium of this company already has this serial number.",
        ),
    ]

    def write(self, vals):
        if "equipment_id" in vals:
            moved = self.filtered(
                lambda medium: medium.equipment_id.id != vals["equipment_id"]
            )
            devices = moved.equipment_id | self.env["maintenance.equipment"].browse(
                vals["equipment_id"] or []
            )
            if moved:
                self._check_not_in_crate(devices._in_disposal_crate())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_crate(self):
        self._check_not_in_crate(self.equipment_id._in_disposal_crate())

    def _check_not_in_crate(self, devices):
        """A medium of a device in a return crate is what its wipe
        certificate proves: it is neither deleted nor moved to another
        device (nor onto one), else the device would leave with no proof."""
        if devices:
            raise UserError(
                self.env._(
                    "Device %(device)s is in a return crate: its storage media can "
                    "no longer be deleted or moved to another device.",
                    device=devices[0].display_name,
                )
            )

    @api.depends("serial_no")
    def _compute_serial_no_normalized(self):
        normalize = self.env["maintenance.equipment"]._normalize_serial
        for medium in self:
            medium.serial_no_normalized = normalize(medium.serial_no)

    @api.depends(
        "certificate_ids.is_valid",
        "certificate_ids.level",
        "certificate_ids.status",
        "certificate_ids.witnessed_on_site",
        "equipment_id.is_classified",
        "equipment_id.wipe_level_required",
    )
    def _compute_wipe_state(self):
        for medium in self:
            medium.wipe_state = medium_wipe_state(
                medium.certificate_ids, medium.equipment_id
            )

    @api.depends("serial_no", "medium_type")
    def _compute_display_name(self):
        types = dict(self._fields["medium_type"]._description_selection(self.env))
        for medium in self:
            medium.display_name = (
                f"{medium.serial_no} ({types.get(medium.medium_type)})"
            )

    def _get_acceptable_certificates(self):
        """The valid certificates that release this medium: one of the
        required level or above; for a classified device only a destruction
        or a sanitization witnessed on site."""
        self.ensure_one()
        return self.certificate_ids.filtered_domain(releasing_domain(self.equipment_id))

    def _get_wipe_check(self):
        """(state, problem): the wipe status and, unless done, why."""
        self.ensure_one()
        certificates = self.certificate_ids
        device = self.equipment_id
        state = medium_wipe_state(certificates, device)
        if state == "missing":
            return state, self.env._("has no wipe certificate.")
        if state == "done":
            return state, False
        if state == "insufficient" and device.is_classified:
            return state, self.env._(
                "is in a classified device: only a destruction certificate or a "
                "sanitization witnessed on site is accepted."
            )
        if state == "insufficient":
            levels = dict(self.env["it.wipe.certificate"]._fields["level"].selection)
            best = max(
                certificates.filtered("is_valid").mapped("level"), key=LEVEL_RANK.get
            )
            return state, self.env._(
                "has a %(level)s certificate, but %(required)s is required.",
                level=levels[best],
                required=levels[device.wipe_level_required or DEFAULT_LEVEL],
            )
        if state == "exception":
            return state, self.env._(
                "was erased with exceptions that an IT manager has not accepted."
            )
        return state, self.env._("was not erased (the erasure failed).")

    def _get_wipe_problem(self):
        """Why this medium does not release its device, or False."""
        return self._get_wipe_check()[1]
