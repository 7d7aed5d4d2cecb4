# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from odoo.addons.municipal_it_lease.tools.chatter import log_note

from ..tools import cxml, oci


class ItPunchoutSession(models.Model):
    """The cart coming back from the shop: checked line by line, then
    written on a draft IT order."""

    _inherit = "it.punchout.session"

    def _check_open(self):
        """Refuse a session that is used, expired or not the current user's."""
        self.ensure_one()
        if self.user_id != self.env.user:
            raise UserError(
                self.env._("This cart belongs to a punchout session of another user.")
            )
        if self.state != "open":
            raise UserError(
                self.env._(
                    "This punchout session has already returned its cart: open the "
                    "shop again."
                )
            )
        if self.expires_at < fields.Datetime.now():
            raise UserError(
                self.env._("This punchout session has expired: open the shop again.")
            )

    def _receive_cart(self, form, size):
        """Make the cart returned by the shop (``form``: field name -> list of
        values, ``size``: bytes of the request) a draft IT order, or update
        the session's order. Everything is checked first: a refused cart
        writes nothing. Returns the order."""
        self._check_open()
        account = self.account_id
        if size > account.max_bytes:
            raise UserError(
                self.env._(
                    "The cart is %(size)s bytes, more than the %(max)s bytes "
                    "allowed: refused.",
                    size=size,
                    max=account.max_bytes,
                )
            )
        if self.protocol == "cxml":
            data = cxml.decode_form(
                self.env, {key: values[0] for key, values in form.items() if values}
            )
            items = cxml.order_message(
                self.env, data, account._cxml_header(), self.sudo().token
            )
        else:
            items = oci.cart_items(self.env, form)
        lines = self._prepare_lines(items)
        with self.env.cr.savepoint():
            order = self._apply_cart(lines)
            self.sudo().write({"state": "done", "order_id": order.id})
        return order

    def _parse_number(self, item, key, label):
        raw = str(item.get(key, "")).strip()
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the %(what)s %(value)r is not a number.",
                    line=item["line"],
                    what=label,
                    value=raw[:40],
                )
            )
        return value

    def _check_item(self, item):
        """The checked values of one cart item, or a UserError naming it."""
        quantity = self._parse_number(item, "quantity", self.env._("quantity"))
        price = self._parse_number(item, "price", self.env._("price"))
        per = self._parse_number(
            dict(item, price_per=item.get("price_per") or "1"),
            "price_per",
            self.env._("price unit"),
        )
        self._check_item_quantity(item, quantity)
        price = self._get_item_unit_price(item, price, per)
        self._check_item_currency(item)
        self._check_item_texts(item)
        return quantity, price

    def _check_item_quantity(self, item, quantity):
        """Refuse a quantity that is not above 0 and within the account's
        maximum."""
        account = self.account_id
        if quantity <= 0 or quantity > account.max_quantity:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the quantity %(qty)s is not between 0 "
                    "and %(max)s.",
                    line=item["line"],
                    qty=quantity,
                    max=account.max_quantity,
                )
            )

    def _get_item_unit_price(self, item, price, per):
        """The price of one unit: ``price`` is for ``per`` units (OCI's price
        unit); refused when ``per`` is not positive or the unit price is not
        between 0 and the account's maximum."""
        account = self.account_id
        if per <= 0:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the price unit %(per)s is not positive.",
                    line=item["line"],
                    per=per,
                )
            )
        price /= per
        if price < 0 or price > account.max_price:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the unit price %(price)s is not between 0 "
                    "and %(max)s.",
                    line=item["line"],
                    price=price,
                    max=account.max_price,
                )
            )
        return price

    def _check_item_currency(self, item):
        """Refuse an item priced in an unknown currency or in another
        currency than the account's."""
        account = self.account_id
        code = item.get("currency", "").strip().upper()
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", code or False)], limit=1)
        )
        if not currency:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: unknown currency %(currency)r.",
                    line=item["line"],
                    currency=code[:10],
                )
            )
        if currency != account.currency_id:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the price is in %(currency)s, the shop's "
                    "account orders in %(account_currency)s.",
                    line=item["line"],
                    currency=currency.name,
                    account_currency=account.currency_id.name,
                )
            )

    def _check_item_texts(self, item):
        """Refuse an item whose product code or description is too long."""
        if len(item.get("code", "")) > 100 or len(item.get("description", "")) > 1000:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: its product code or description is too long.",
                    line=item["line"],
                )
            )

    def _check_cart_size(self, items):
        """Refuse an empty cart, or one with more lines than the account
        allows."""
        account = self.account_id
        if not items:
            raise UserError(self.env._("The cart is empty."))
        if len(items) > account.max_lines:
            raise UserError(
                self.env._(
                    "The cart has %(count)s lines, more than the %(max)s allowed: "
                    "refused.",
                    count=len(items),
                    max=account.max_lines,
                )
            )

    def _prepare_lines(self, items):
        """Order line values of the checked cart ``items``."""
        self._check_cart_size(items)
        code = self.env.user.with_company(self.company_id).it_punchout_activity_code_id
        today = fields.Date.context_today(self)
        return [self._prepare_line(item, code, today) for item in items]

    def _prepare_line(self, item, code, today):
        """Order line values of one cart ``item``, checked; ``code`` is the
        user's default activity code (an analytic account, maybe empty)."""
        account = self.account_id
        quantity, price = self._check_item(item)
        mapping = account._map_product(item.get("code", ""))
        product = mapping.product_id or account.unmapped_product_id
        uom = self._get_item_uom(item, product)
        purchase_uom = uom or product.uom_po_id
        self._check_whole_quantity(item, quantity, purchase_uom)
        if product.it_is_device and not code:
            raise UserError(
                self.env._(
                    "Cart line %(line)s is an IT device: set your default "
                    "activity code (your user's Punchout Activity Code) first.",
                    line=item["line"],
                )
            )
        seller, agreement_price = self._get_agreement_price(
            product, quantity, purchase_uom, today
        )
        line_values = {
            "product_id": product.id,
            "name": self._get_line_name(item),
            "product_qty": quantity,
            "product_uom": purchase_uom.id,
            "price_unit": price,
            "punchout_code": item.get("code") or False,
            "punchout_unit": item.get("unit") or False,
            "punchout_unit_unmapped": not uom,
            "punchout_matgroup": item.get("matgroup") or False,
            "punchout_agreement_price": agreement_price,
            "punchout_price_above_agreement": bool(seller)
            and account.currency_id.compare_amounts(price, agreement_price) > 0,
        }
        if code:
            line_values["analytic_distribution"] = {str(code.id): 100}
        if mapping and mapping.it_financing == "lessor":
            line_values["it_financing"] = "lessor"
            line_values["it_lessor_id"] = mapping.it_lessor_id.id
        return line_values

    def _get_item_uom(self, item, product):
        """The unit of measure mapped from the item's unit, if it is of the
        product's category; else an empty record."""
        uom = self.account_id._map_uom(item.get("unit"))
        if uom and uom.category_id != product.uom_id.category_id:
            uom = uom.browse()
        return uom

    def _check_whole_quantity(self, item, quantity, purchase_uom):
        """Refuse a quantity that is not a whole number of ``purchase_uom``
        (of its rounding; of 1 for units)."""
        # Devices, docks and monitors are counted in whole units.
        rounding = (
            1.0
            if purchase_uom.category_id == self.env.ref("uom.product_uom_categ_unit")
            else purchase_uom.rounding
        )
        if (
            float_compare(
                float_round(quantity, precision_rounding=rounding),
                quantity,
                precision_digits=6,
            )
            != 0
        ):
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the quantity %(qty)s is not a whole "
                    "number of %(uom)s.",
                    line=item["line"],
                    qty=quantity,
                    uom=purchase_uom.name,
                )
            )

    def _get_agreement_price(self, product, quantity, purchase_uom, today):
        """(seller, price of one ``purchase_uom`` in the account's currency)
        of the reseller's agreement price for ``product``; (empty, 0.0)
        without one."""
        account = self.account_id
        seller = product._select_seller(
            partner_id=account.partner_id,
            quantity=quantity,
            date=today,
            uom_id=purchase_uom,
        )
        agreement_price = 0.0
        if seller:
            agreement_price = seller.currency_id._convert(
                seller.price, account.currency_id, self.company_id, today
            )
            if seller.product_uom != purchase_uom:
                agreement_price = seller.product_uom._compute_price(
                    agreement_price, purchase_uom
                )
        return seller, agreement_price

    @api.model
    def _get_line_name(self, item):
        """The order line's description: the item's description (else its
        code), then its long text when that says more."""
        name = item.get("description") or item.get("code")
        if item.get("longtext") and item["longtext"] != name:
            name = f"{name}\n{item['longtext']}"
        return name

    def _apply_cart(self, lines):
        """Write the cart's ``lines`` on a new draft order, or in place of
        the punchout lines of the session's order; as the user."""
        account = self.account_id
        order = self.order_id
        Order = self.env["purchase.order"].with_company(self.company_id)
        if order:
            order.check_access("write")
            if order.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "%(order)s was confirmed meanwhile: the cart is refused.",
                        order=order.display_name,
                    )
                )
            old = order.order_line.filtered("punchout_code")
            order.write(
                {
                    "order_line": [Command.unlink(line.id) for line in old]
                    + [Command.create(values) for values in lines]
                }
            )
        else:
            order = Order.create(
                {
                    "partner_id": account.partner_id.id,
                    "company_id": self.company_id.id,
                    "currency_id": account.currency_id.id,
                    "user_id": self.env.user.id,
                    "punchout_account_id": account.id,
                    "order_line": [Command.create(values) for values in lines],
                }
            )
        flagged = order.order_line.filtered(
            lambda ln: (
                ln.punchout_unmapped
                or ln.punchout_unit_unmapped
                or ln.punchout_price_above_agreement
            )
        )
        body = self.env._(
            "Cart received from %(shop)s (%(protocol)s) by %(user)s: %(count)s "
            "lines, %(flagged)s flagged.",
            shop=account.display_name,
            protocol=dict(account._fields["protocol"]._description_selection(self.env))[
                account.protocol
            ],
            user=self.env.user.name,
            count=len(lines),
            flagged=len(flagged),
        )
        log_note(order, body)
        return order
