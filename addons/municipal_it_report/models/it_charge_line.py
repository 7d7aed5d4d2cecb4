# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ItChargeLine(models.Model):
    _inherit = "it.charge.line"

    department_id = fields.Many2one(
        "hr.department",
        compute="_compute_department_id",
        store=True,
        index=True,
        help="The device's department when the charge was computed.",
    )

    # Only the device: a later move to another department does not rewrite
    # past charges.
    @api.depends("equipment_id")
    def _compute_department_id(self):
        for line in self:
            line.department_id = line.equipment_id.department_id
