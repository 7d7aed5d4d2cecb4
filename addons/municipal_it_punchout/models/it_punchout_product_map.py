# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ItPunchoutProductMap(models.Model):
    _name = "it.punchout.product.map"
    _description = "Punchout Product Mapping"
    _order = "account_id, shop_code"
    _check_company_auto = True

    account_id = fields.Many2one(
        comodel_name="it.punchout.account",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True
    )
    shop_code = fields.Char(
        required=True,
        help="The shop's product code: OCI NEW_ITEM-VENDORMAT, cXML SupplierPartID.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        required=True,
        check_company=True,
        domain=[("purchase_ok", "=", True)],
    )
    it_financing = fields.Selection(
        selection=[("bought", "Bought"), ("lessor", "Financed by lessor")],
        string="Financing",
        default="bought",
        required=True,
        help="How the order lines of this product are financed.",
    )
    it_lessor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Lessor",
        check_company=True,
    )

    _sql_constraints = [
        (
            "shop_code_uniq",
            "unique(account_id, shop_code)",
            "A shop code is mapped once per punchout account.",
        )
    ]

    @api.constrains("it_financing", "it_lessor_id", "product_id")
    def _check_financing(self):
        for mapping in self.filtered(lambda m: m.it_financing == "lessor"):
            if not mapping.it_lessor_id or not mapping.product_id.it_is_device:
                raise ValidationError(
                    self.env._(
                        "Mapping of %(code)s: only an IT device can be financed "
                        "by a lessor, and the lessor is named.",
                        code=mapping.shop_code,
                    )
                )
