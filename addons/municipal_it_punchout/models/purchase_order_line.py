# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    punchout_code = fields.Char(
        string="Shop Code", readonly=True, copy=False, help="The shop's product code."
    )
    punchout_unit = fields.Char(string="Shop Unit", readonly=True, copy=False)
    punchout_matgroup = fields.Char(
        string="Shop Classification", readonly=True, copy=False
    )
    punchout_unmapped = fields.Boolean(
        string="Unmapped Shop Product",
        compute="_compute_punchout_unmapped",
        store=True,
        help="The shop's product code has no product mapping: choose the "
        "product before the order is confirmed.",
    )
    punchout_unit_unmapped = fields.Boolean(
        string="Unmapped Shop Unit",
        readonly=True,
        copy=False,
        help="The shop's unit has no mapping: the product's purchase unit is "
        "used; check the quantity.",
    )
    punchout_agreement_price = fields.Float(
        string="Agreement Price",
        digits="Product Price",
        readonly=True,
        copy=False,
        help="The vendor price list's price of the product when the cart came.",
    )
    punchout_price_above_agreement = fields.Boolean(
        string="Above Agreement Price",
        readonly=True,
        copy=False,
        help="The shop's price is above the framework agreement's price list.",
    )

    @api.depends("product_id", "punchout_code", "order_id.punchout_account_id")
    def _compute_punchout_unmapped(self):
        for line in self:
            line.punchout_unmapped = bool(
                line.punchout_code
                and line.product_id
                == line.order_id.punchout_account_id.unmapped_product_id
            )

    def write(self, vals):
        # Choosing the product of an unmapped shop line recomputes the
        # analytic distribution from the distribution models, which loses the
        # buyer's activity code when none applies: keep the line's own.
        keep = self.browse()
        if "product_id" in vals and "analytic_distribution" not in vals:
            keep = self.filtered(
                lambda ln: ln.punchout_code and ln.analytic_distribution
            )
        for line in keep:
            super(PurchaseOrderLine, line).write(
                dict(vals, analytic_distribution=line.analytic_distribution)
            )
        others = self - keep
        return super(PurchaseOrderLine, others).write(vals) if others else True

    def _punchout_is_flagged(self):
        self.ensure_one()
        return (
            self.punchout_unmapped
            or self.punchout_unit_unmapped
            or self.punchout_price_above_agreement
        )
