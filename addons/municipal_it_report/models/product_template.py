# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    it_new_reference_price = fields.Monetary(
        string="New Reference Price",
        currency_field="currency_id",
        help="Price of this model bought new (the framework agreement price). "
        "Refurbished devices of this model are compared with it in the "
        "refurbished savings report, and the end-of-lease decision aid uses it "
        "as the cost of a new device.",
    )
