# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    it_refurbished_supplier = fields.Boolean(
        string="Sells Refurbished Devices",
        help="Every device received from this vendor is refurbished, e.g. Inrego.",
    )
    it_lease_rate_ids = fields.One2many(
        comodel_name="it.lease.rate",
        inverse_name="lessor_id",
        string="Lease Rate Card",
    )
