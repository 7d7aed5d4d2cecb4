# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.municipal_it_lease.tools.selection import selection_label

from ..tools.wipe_rules import LEVEL_RANK, device_wipe_state, releasing_domain
from .it_disposal_batch import MANAGER_GROUP
from .res_company import WIPE_LEVELS

# Where a device may end: the disposal outcomes guarded by the wipe rules.
DISPOSAL_OUTCOMES = ("disposed", "remarketed")


class MaintenanceEquipment(models.Model):
    """A device's disposal: its storage media and their wipe status, its
    transit in a crate and the IT manager's attestation that it holds no
    storage. Those are ``it_system`` fields: computed from the certificates,
    set by the crate's collection and receipt, or by the attestation (with
    its reason)."""

    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "it.system.fields.mixin"]

    lifecycle_state = fields.Selection(
        selection_add=[("remarketed", "Remarketed")],
        ondelete={"remarketed": "set default"},
    )
    is_classified = fields.Boolean(
        string="Classified",
        tracking=True,
        help="Holds classified information (säkerhetsskyddsklassificerade "
        "uppgifter): its media must be destroyed, or sanitized with a witness "
        "on site, and it can never be remarketed.",
    )
    wipe_level_required = fields.Selection(
        selection=WIPE_LEVELS,
        compute="_compute_wipe_level_required",
        store=True,
        readonly=False,
        tracking=True,
        help="Sanitization level every storage medium of this device needs "
        "(the company's level by default).",
    )
    storage_medium_ids = fields.One2many(
        "it.storage.medium", "equipment_id", string="Storage Media"
    )
    wipe_state = fields.Selection(
        selection=[
            ("no_media", "No storage media"),
            ("awaiting", "Awaiting certificates"),
            ("problem", "Certificate problem"),
            ("done", "Sanitized"),
        ],
        string="Wipe Status",
        compute="_compute_wipe_state",
        store=True,
        index=True,
        it_system=True,
    )
    disposal_line_ids = fields.One2many(
        "it.disposal.batch.line", "equipment_id", string="Return Crates"
    )
    disposal_in_transit = fields.Boolean(
        string="In Transit",
        readonly=True,
        copy=False,
        index=True,
        it_system=True,
        help="Collected in a crate and not yet confirmed received by the recipient.",
    )
    no_storage_attested = fields.Boolean(
        string="No Storage (Attested)",
        readonly=True,
        copy=False,
        tracking=True,
        it_system=True,
        help="An IT manager attested that the device holds no storage medium: "
        "the proof a device without registered media needs to be disposed of "
        "or remarketed, unless a certificate names the device itself.",
    )
    no_storage_attested_by_id = fields.Many2one(
        "res.users",
        string="No Storage Attested By",
        readonly=True,
        copy=False,
        it_system=True,
    )
    no_storage_attested_on = fields.Datetime(readonly=True, copy=False, it_system=True)
    no_storage_reason = fields.Text(
        string="No Storage Attestation", readonly=True, copy=False, it_system=True
    )

    @api.depends("company_id.it_disposal_wipe_level")
    def _compute_wipe_level_required(self):
        for equipment in self:
            if not equipment.wipe_level_required:
                equipment.wipe_level_required = (
                    equipment.company_id.it_disposal_wipe_level or "purge"
                )

    @api.depends("storage_medium_ids.wipe_state")
    def _compute_wipe_state(self):
        for equipment in self:
            equipment.wipe_state = device_wipe_state(
                equipment.storage_medium_ids.mapped("wipe_state")
            )

    @api.constrains("is_classified", "lifecycle_state")
    def _check_classified_not_remarketed(self):
        for equipment in self:
            if equipment.is_classified and equipment.lifecycle_state == "remarketed":
                raise ValidationError(
                    self.env._(
                        "Device %(device)s holds classified information and can "
                        "never be remarketed: its media must be destroyed.",
                        device=equipment.display_name,
                    )
                )

    def write(self, vals):
        # Lowering is the IT manager's step (Lower Wipe Requirement), which
        # checks the group and the reason, then writes with sudo().
        if not self.env.su:
            self._check_not_lowered(vals)
        if vals.get("lifecycle_state") in DISPOSAL_OUTCOMES:
            self.filtered(
                lambda equipment: equipment.lifecycle_state != vals["lifecycle_state"]
            )._check_disposal_allowed(vals["lifecycle_state"])
        return super().write(vals)

    def _check_disposal_allowed(self, outcome):
        """Refuse to dispose of or remarket a device unless every storage
        medium has an accepted certificate of the level its data requires."""
        for equipment in self:
            if outcome == "remarketed" and equipment.is_classified:
                raise ValidationError(
                    self.env._(
                        "Device %(device)s holds classified information and can "
                        "never be remarketed: its media must be destroyed.",
                        device=equipment.display_name,
                    )
                )
            if not equipment.storage_medium_ids:
                equipment._check_no_medium_proof(outcome)
            for medium in equipment.storage_medium_ids:
                problem = medium._get_wipe_problem()
                if problem:
                    raise ValidationError(
                        self.env._(
                            "Device %(device)s cannot be %(outcome)s: storage "
                            "medium %(medium)s %(problem)s",
                            device=equipment.display_name,
                            outcome=selection_label(
                                self, "lifecycle_state", outcome
                            ).lower(),
                            medium=medium.display_name,
                            problem=problem,
                        )
                    )

    def _check_no_medium_proof(self, outcome):
        """A device with no storage medium registered leaves the register
        only with proof: a valid certificate matched to the device itself,
        of the level its data requires, or an IT manager's attestation that
        it holds no storage. Zero media is no proof of zero data."""
        self.ensure_one()
        if self.no_storage_attested:
            return
        certificates = self.env["it.wipe.certificate"].search(
            [("equipment_id", "=", self.id), ("is_valid", "=", True)]
        )
        if certificates.filtered(self._certificate_releases):
            return
        raise ValidationError(
            self.env._(
                "Device %(device)s cannot be %(outcome)s: it has no storage "
                "medium registered and no wipe certificate of its own. Register "
                "its media and import their certificates, or have an IT manager "
                "attest that it holds no storage.",
                device=self.display_name,
                outcome=selection_label(self, "lifecycle_state", outcome).lower(),
            )
        )

    def _certificate_releases(self, certificate):
        """Whether a valid ``certificate`` is of the level this device's
        data requires (destroyed or witnessed for a classified device)."""
        return bool(certificate.filtered_domain(releasing_domain(self)))

    # What the device's data requires: raised by anyone, lowered only by an
    # IT manager with a reason, never once the device is in a crate.

    def _get_lowered_fields(self, vals):
        """The fields of ``vals`` that would lower what some of these
        devices' data requires (unclassify, a lower wipe level)."""
        lowered = set()
        if (
            "is_classified" in vals
            and not vals["is_classified"]
            and any(self.mapped("is_classified"))
        ):
            lowered.add("is_classified")
        level = vals.get("wipe_level_required")
        if "wipe_level_required" in vals and any(
            LEVEL_RANK.get(level, 0) < LEVEL_RANK[equipment.wipe_level_required]
            for equipment in self
            if equipment.wipe_level_required
        ):
            lowered.add("wipe_level_required")
        return lowered

    def _check_not_lowered(self, vals):
        lowered = self._get_lowered_fields(vals)
        if lowered:
            raise UserError(
                self.env._(
                    "%(fields)s of a device can only be lowered by an IT manager, "
                    "with a reason (Lower Wipe Requirement), and never once the "
                    "device is in a return crate.",
                    fields=", ".join(self._fields[name].string for name in lowered),
                )
            )

    def _in_disposal_crate(self):
        """The devices of these that are in a return crate (any state)."""
        return self.filtered("disposal_line_ids")

    def _check_it_manager(self, message):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(message)

    def _check_reason(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason."))
        return reason.strip()

    def action_lower_wipe_requirement(self, reason, is_classified, wipe_level):
        """Lower the classification and/or the required wipe level of these
        devices: an IT manager only, with a reason kept in each device's
        chatter; never for a device in a return crate."""
        self._check_it_manager(
            self.env._(
                "Only an IT leasing manager may lower a device's wipe requirement."
            )
        )
        reason = self._check_reason(reason)
        in_crate = self._in_disposal_crate()
        if in_crate:
            raise UserError(
                self.env._(
                    "Device %(device)s is in a return crate: its classification and "
                    "wipe level can no longer be lowered.",
                    device=in_crate[0].display_name,
                )
            )
        self.check_access("write")
        vals = {"is_classified": bool(is_classified)}
        if wipe_level:
            vals["wipe_level_required"] = wipe_level
        for equipment in self:
            equipment.sudo().write(vals)
            equipment.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Wipe requirement lowered by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
        return True

    def action_attest_no_storage(self, reason):
        """An IT manager attests that these devices hold no storage medium
        (who, when and why kept on the device and in its chatter)."""
        self._check_it_manager(
            self.env._(
                "Only an IT leasing manager may attest that a device has no storage."
            )
        )
        reason = self._check_reason(reason)
        with_media = self.filtered("storage_medium_ids")
        if with_media:
            raise UserError(
                self.env._(
                    "Device %(device)s has storage media registered: they need "
                    "their wipe certificates.",
                    device=with_media[0].display_name,
                )
            )
        self.check_access("write")
        self.sudo().write(
            {
                "no_storage_attested": True,
                "no_storage_attested_by_id": self.env.uid,
                "no_storage_attested_on": fields.Datetime.now(),
                "no_storage_reason": reason,
            }
        )
        for equipment in self:
            equipment.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s attested that the device holds no storage: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
        return True

    def _set_disposal_in_transit(self, in_transit, **values):
        """Record these devices as in transit in a crate or no longer (with
        ``values``): a step of the crate, which checked the crate's state; the
        user may write these devices."""
        self.check_access("write")
        return self.sudo().write(dict(values, disposal_in_transit=in_transit))

    def _open_reason(self, action, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "it.disposal.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": str(self.ids),
                "default_action": action,
                "default_is_classified": all(self.mapped("is_classified")),
                "default_wipe_level": self[:1].wipe_level_required,
            },
        }

    def action_open_lower_wipe_requirement(self):
        return self._open_reason(
            "lower_requirement", self.env._("Lower Wipe Requirement")
        )

    def action_open_attest_no_storage(self):
        return self._open_reason("no_storage", self.env._("Attest No Storage"))
