# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# How a line is financed decides who bills its devices and whether they join
# a lease schedule: it is settled once the order is confirmed.
FINANCING_FIELDS = ("it_financing", "it_lessor_id")


class PurchaseOrderLine(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "it.system.fields.mixin"]

    # A change of these re-opens the approval of the order.
    _it_approval_fields = (
        "product_id",
        "product_qty",
        "product_uom",
        "price_unit",
        "discount",
        "taxes_id",
        "analytic_distribution",
        "it_financing",
        "it_lessor_id",
    )

    it_is_device = fields.Boolean(related="product_id.it_is_device")
    it_financing = fields.Selection(
        selection=[("bought", "Bought"), ("lessor", "Financed by lessor")],
        string="Financing",
        default="bought",
        required=True,
        help="Bought: billed by the vendor, the device is owned. Financed by "
        "lessor: the reseller bills the lessor, nothing is billed to the "
        "municipality, and the devices join a draft lease schedule of the lessor.",
    )
    it_lessor_id = fields.Many2one(
        comodel_name="res.partner",
        string="Lessor",
        check_company=True,
        index="btree_not_null",
    )
    # What the attest approved of a line: only the attest's own step writes
    # it (purchase.order._it_record_approval).
    it_approved_qty = fields.Float(
        string="Approved Quantity",
        digits="Product Unit of Measure",
        copy=False,
        readonly=True,
        it_system=True,
        help="Quantity of the line when the order's attest was last complete: "
        "a receipt beyond it waits for the new attest.",
    )
    it_approved_price_unit = fields.Float(
        string="Approved Unit Price",
        digits="Product Price",
        copy=False,
        readonly=True,
        it_system=True,
        help="Unit price of the line when the order's attest was last "
        "complete: Odoo's vendor prices do not change it afterwards.",
    )
    it_activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="Activity Code",
        compute="_compute_it_activity_code_id",
        help="The activity code of the analytic distribution with the largest "
        "share: the devices of this line are charged to it.",
    )

    @api.depends("analytic_distribution", "company_id")
    def _compute_it_activity_code_id(self):
        for line in self:
            plan = line.company_id.it_activity_code_plan_id
            shares = {}
            for account_ids, percent in (line.analytic_distribution or {}).items():
                for account_id in str(account_ids).split(","):
                    shares[int(account_id)] = shares.get(int(account_id), 0) + percent
            accounts = self.env["account.analytic.account"].browse(shares).exists()
            codes = accounts.filtered(lambda acc, p=plan: p and acc.root_plan_id == p)
            line.it_activity_code_id = max(
                codes, key=lambda code: (shares[code.id], -code.id), default=codes
            )

    def _compute_price_unit_and_date_planned_and_name(self):
        # An approved line keeps its price: Odoo would re-price it from a
        # vendor price (recorded by another order) when its quantity, unit or
        # vendor changes. Only a written price changes it (and a raise
        # re-opens the attest).
        kept = {
            line: (line._origin.price_unit, line._origin.discount)
            for line in self
            if line._origin.it_approved_price_unit
        }
        res = super()._compute_price_unit_and_date_planned_and_name()
        for line, (price, discount) in kept.items():
            line.price_unit = price
            line.discount = discount
        return res

    @api.depends("it_financing")
    def _compute_qty_invoiced(self):
        res = super()._compute_qty_invoiced()
        # The reseller bills the lessor for financed lines: nothing to bill.
        for line in self.filtered(lambda ln: ln.it_financing == "lessor"):
            line.qty_to_invoice = 0.0
        return res

    @api.constrains("product_id", "analytic_distribution")
    def _check_it_activity_code(self):
        for line in self.filtered("it_is_device"):
            if not line.it_activity_code_id:
                raise ValidationError(
                    self.env._(
                        "%(order)s, line %(product)s: an IT device needs an "
                        "activity code in its analytic distribution.",
                        order=line.order_id.display_name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("it_financing", "it_lessor_id")
    def _check_it_lessor(self):
        for line in self:
            if line.it_financing == "lessor" and not line.it_lessor_id:
                raise ValidationError(
                    self.env._(
                        "%(order)s, line %(product)s: a financed line names its "
                        "lessor.",
                        order=line.order_id.display_name,
                        product=line.product_id.display_name,
                    )
                )
            if line.it_financing == "lessor" and not line.it_is_device:
                raise ValidationError(
                    self.env._(
                        "%(order)s, line %(product)s: only IT devices can be "
                        "financed by a lessor.",
                        order=line.order_id.display_name,
                        product=line.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._it_check_attest_after_lines()
        return lines

    def write(self, vals):
        self._check_it_financing_settled(vals)
        res = super().write(vals)
        if set(self._it_approval_fields) & vals.keys():
            self.order_id._it_check_attest_after_lines()
        return res

    def _check_it_financing_settled(self, vals):
        """Refuse changing the financing of a line of a confirmed order, or
        of a line already received: its devices are billed, or put on the
        lessor's lease schedule, by what the line said then."""
        if not set(FINANCING_FIELDS) & vals.keys():
            return
        for line in self:
            order = line.order_id
            if order.state in order._state_from and not line.qty_received:
                continue
            if line._it_system_fields_changed(vals, FINANCING_FIELDS):
                raise UserError(
                    self.env._(
                        "%(order)s, line %(product)s: its financing (bought "
                        "or financed by a lessor, and the lessor) cannot "
                        "change once the order is confirmed or its devices "
                        "are received.",
                        order=order.display_name,
                        product=line.product_id.display_name,
                    )
                )

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._it_check_attest_after_lines()
        return res

    def _get_it_purchase_price(self):
        """Unit price of a device of this line, untaxed and after discount, in
        the company currency (the price the lessor pays for a financed line)."""
        self.ensure_one()
        if not self.product_qty:
            return 0.0
        price = self.price_subtotal / self.product_qty
        if self.product_uom != self.product_id.uom_id:
            price *= self.product_uom.factor / self.product_id.uom_id.factor
        order = self.order_id
        company_currency = order.company_id.currency_id
        return order.currency_id._convert(
            price,
            company_currency,
            order.company_id,
            order.date_order or fields.Date.context_today(self),
        )
