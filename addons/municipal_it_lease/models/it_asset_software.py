# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItAssetSoftware(models.Model):
    """A software title at a given version, installed on devices.

    Support engineers ask "which devices still run version X"; a record per
    title and version answers that with a plain search.
    """

    _name = "it.asset.software"
    _description = "Installed Software"
    _order = "name, version"
    _check_company_auto = True

    name = fields.Char(required=True)
    version = fields.Char()
    publisher_id = fields.Many2one("res.partner", check_company=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    equipment_ids = fields.Many2many(
        comodel_name="maintenance.equipment",
        relation="maintenance_equipment_it_asset_software_rel",
        column1="software_id",
        column2="equipment_id",
        string="Devices",
    )

    _sql_constraints = [
        (
            "name_version_uniq",
            "unique(company_id, name, version)",
            "This software title and version already exists.",
        ),
    ]

    def _compute_display_name(self):
        for software in self:
            software.display_name = " ".join(
                part for part in (software.name, software.version) if part
            )
