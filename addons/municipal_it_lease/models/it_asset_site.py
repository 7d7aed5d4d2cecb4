# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ItAssetSite(models.Model):
    """A geographic place where devices are used: a building, a floor, a room.

    Sites form a hierarchy so a device can sit in "City Hall / Floor 3 / Room
    312" while reports still group by the building. The postal address lives on
    a partner, as Odoo does for warehouses, so it is geocodable and reusable.
    """

    _name = "it.asset.site"
    _description = "Device Site"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=False)
    code = fields.Char(help="Short code used on labels and in imports, e.g. KH-3.")
    complete_name = fields.Char(
        compute="_compute_complete_name", recursive=True, store=True
    )
    parent_id = fields.Many2one(
        comodel_name="it.asset.site",
        string="Parent Site",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("it.asset.site", "parent_id", string="Sub-sites")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Address",
        check_company=True,
        help="Postal address of the site (street, postcode, city, coordinates).",
    )
    city = fields.Char(related="partner_id.city")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)
    equipment_ids = fields.One2many("maintenance.equipment", "site_id")
    equipment_count = fields.Integer(
        string="Device Count", compute="_compute_equipment_count"
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A site code must be unique per company.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for site in self:
            if site.parent_id:
                site.complete_name = f"{site.parent_id.complete_name} / {site.name}"
            else:
                site.complete_name = site.name

    @api.depends("equipment_ids")
    def _compute_equipment_count(self):
        counts = dict(
            self.env["maintenance.equipment"]._read_group(
                [("site_id", "child_of", self.ids)],
                groupby=["site_id"],
                aggregates=["__count"],
            )
        )
        for site in self:
            site.equipment_count = sum(
                count
                for child, count in counts.items()
                if child.parent_path.startswith(site.parent_path or "")
            )

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A site cannot be inside one of its own sub-sites.")
            )
