# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.guard import (
    refuse_system_writes,
    system_create,
)

from .it_disposal_batch import TRANSITION

LEVEL_RANK = {"clear": 1, "purge": 2, "destroy": 3}
# Computed: from the certificates, and the serial number the imports match.
MEDIUM_SYSTEM_FIELDS = {"wipe_state", "serial_no_normalized"}


class ItStorageMedium(models.Model):
    """A storage medium (disk, SSD, eMMC...) inside a device: what a wipe
    certificate is about."""

    _name = "it.storage.medium"
    _description = "Storage Medium"
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
        compute="_compute_serial_no_normalized", store=True, index=True
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
    )

    _sql_constraints = [
        (
            "serial_uniq",
            "unique(company_id, serial_no_normalized)",
            "Another storage medium of this company already has this serial number.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        media = system_create(self, vals_list, MEDIUM_SYSTEM_FIELDS, key=TRANSITION)
        return super(ItStorageMedium, media).create(vals_list).with_env(self.env)

    def write(self, vals):
        refuse_system_writes(self, vals, MEDIUM_SYSTEM_FIELDS, key=TRANSITION)
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
            medium.wipe_state = medium._get_wipe_check()[0]

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
        device = self.equipment_id
        required = LEVEL_RANK[device.wipe_level_required or "purge"]
        certificates = self.certificate_ids.filtered("is_valid")
        if device.is_classified:
            return certificates.filtered(
                lambda cert: (
                    cert.level == "destroy"
                    or (cert.witnessed_on_site and LEVEL_RANK[cert.level] >= required)
                )
            )
        return certificates.filtered(lambda cert: LEVEL_RANK[cert.level] >= required)

    def _get_wipe_check(self):
        """(state, problem): the wipe status and, unless done, why."""
        self.ensure_one()
        certificates = self.certificate_ids
        levels = dict(self.env["it.wipe.certificate"]._fields["level"].selection)
        if not certificates:
            return "missing", self.env._("has no wipe certificate.")
        if self._get_acceptable_certificates():
            return "done", False
        device = self.equipment_id
        if device.is_classified and certificates.filtered("is_valid"):
            return "insufficient", self.env._(
                "is in a classified device: only a destruction certificate or a "
                "sanitization witnessed on site is accepted."
            )
        valid = certificates.filtered("is_valid")
        if valid:
            best = max(valid.mapped("level"), key=LEVEL_RANK.get)
            return "insufficient", self.env._(
                "has a %(level)s certificate, but %(required)s is required.",
                level=levels[best],
                required=levels[device.wipe_level_required or "purge"],
            )
        if certificates.filtered(lambda cert: cert.status == "erased_exceptions"):
            return "exception", self.env._(
                "was erased with exceptions that an IT manager has not accepted."
            )
        return "failed", self.env._("was not erased (the erasure failed).")

    def _get_wipe_problem(self):
        """Why this medium does not release its device, or False."""
        return self._get_wipe_check()[1]
