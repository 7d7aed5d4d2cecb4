# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.municipal_it_lease.tools.guard import (
    refuse_system_writes,
    system_create,
)
from odoo.addons.municipal_it_lease.tools.selection import selection_label

from .it_disposal_batch import TRANSITION
from .res_company import WIPE_LEVELS

# Where a device may end: the disposal outcomes guarded by the wipe rules.
DISPOSAL_OUTCOMES = ("disposed", "remarketed")
# Computed from the certificates, or set by the crate's collection and receipt.
DISPOSAL_SYSTEM_FIELDS = {"wipe_state", "disposal_in_transit"}


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

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
    )
    disposal_line_ids = fields.One2many(
        "it.disposal.batch.line", "equipment_id", string="Return Crates"
    )
    disposal_in_transit = fields.Boolean(
        string="In Transit",
        readonly=True,
        copy=False,
        index=True,
        help="Collected in a crate and not yet confirmed received by the recipient.",
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
            states = set(equipment.storage_medium_ids.mapped("wipe_state"))
            if not states:
                equipment.wipe_state = "no_media"
            elif states == {"done"}:
                equipment.wipe_state = "done"
            elif "missing" in states:
                equipment.wipe_state = "awaiting"
            else:
                equipment.wipe_state = "problem"

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

    @api.model_create_multi
    def create(self, vals_list):
        equipments = system_create(
            self, vals_list, DISPOSAL_SYSTEM_FIELDS, key=TRANSITION
        )
        return (
            super(MaintenanceEquipment, equipments).create(vals_list).with_env(self.env)
        )

    def write(self, vals):
        refuse_system_writes(self, vals, DISPOSAL_SYSTEM_FIELDS, key=TRANSITION)
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
