# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import math
import secrets
from datetime import timedelta

import requests

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from odoo.addons.municipal_it_lease.tools.chatter import log_note

from ..tools import cxml, oci

_logger = logging.getLogger(__name__)

TIMEOUT = 20
# Sessions are kept this long after they expire (who opened which shop when).
KEEP_DAYS = 30


class ItPunchoutSession(models.Model):
    """One visit of a user to a reseller's shop: the one-time token of its
    return URL binds the cart that comes back to the user who opened it."""

    _name = "it.punchout.session"
    _description = "Punchout Session"
    _order = "id desc"
    _check_company_auto = True

    account_id = fields.Many2one(
        comodel_name="it.punchout.account",
        required=True,
        readonly=True,
        check_company=True,
        index=True,
    )
    protocol = fields.Selection(related="account_id.protocol")
    user_id = fields.Many2one(
        comodel_name="res.users", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        index=True,
        groups="base.group_system",
        default=lambda self: secrets.token_urlsafe(32),
    )
    expires_at = fields.Datetime(required=True, readonly=True)
    order_id = fields.Many2one(
        comodel_name="purchase.order",
        readonly=True,
        check_company=True,
        index="btree_not_null",
        help="The draft order whose cart is reopened, then the order the cart became.",
    )
    operation = fields.Selection(
        selection=[("create", "Create"), ("edit", "Edit")],
        required=True,
        readonly=True,
        default="create",
        help="Create: a new cart for a new order. Edit: the cart of a draft "
        "order, reopened at the shop.",
    )
    state = fields.Selection(
        selection=[("open", "Open"), ("done", "Cart Received")],
        default="open",
        required=True,
        readonly=True,
    )

    _sql_constraints = [
        ("token_uniq", "unique(token)", "A punchout token is used once."),
    ]

    @api.autovacuum
    def _gc_expired_sessions(self):
        """Delete the sessions expired more than ``KEEP_DAYS`` ago."""
        limit = fields.Datetime.now() - timedelta(days=KEEP_DAYS)
        self.sudo().search([("expires_at", "<", limit)]).unlink()

    # -- opening the shop ---------------------------------------------------

    def _return_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/punchout/return/{self.sudo().token}"

    def action_open(self):
        """The browser action that opens the shop: the OCI login form (an
        Odoo page that posts itself), or the cXML shop's start page."""
        self.ensure_one()
        if self.protocol == "cxml":
            url = self._cxml_setup()
        else:
            url = f"/punchout/start/{self.id}"
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _oci_login_fields(self):
        """The fields the browser posts to the OCI shop (credentials read as
        superuser, for the session's own user only)."""
        self.ensure_one()
        if self.user_id != self.env.user or self.state != "open":
            raise UserError(self.env._("This punchout session is not yours."))
        account = self.account_id.sudo()
        return oci.login_fields(
            account.oci_username, account.oci_password, self._return_url()
        )

    def _cart_of_order(self):
        """The order's cart as the shop knows it, for an ``edit`` session."""
        return [
            {
                "code": line.punchout_code,
                "quantity": line.product_qty,
                "price": line.price_unit,
                "currency": line.order_id.currency_id.name,
                "description": line.name or "",
                "unit": line.punchout_unit or "EA",
            }
            for line in self.order_id.order_line.filtered("punchout_code")
        ]

    def _cxml_setup(self):
        """Send the ``PunchOutSetupRequest`` and return the shop's start page."""
        self.ensure_one()
        account = self.account_id
        document = cxml.setup_request(
            account._cxml_header(),
            self.operation,
            self.sudo().token,
            self._return_url(),
            self._cart_of_order(),
            {"UserEmail": self.user_id.email, "UniqueName": self.user_id.login},
        )
        answer = self._post(account._url("shop_url"), document)
        if answer.status_code >= 500:
            raise UserError(
                self.env._(
                    "The shop %(shop)s did not answer the punchout setup "
                    "(HTTP %(status)s). Try again later.",
                    shop=account.display_name,
                    status=answer.status_code,
                )
            )
        return cxml.start_page(self.env, answer.content)

    def _post(self, url, document):
        """POST a cXML ``document`` to ``url``; a network failure is a
        UserError (the document is not logged: it holds the shared secret)."""
        try:
            return requests.post(
                url,
                data=document,
                headers={"Content-Type": "text/xml; charset=UTF-8"},
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            _logger.info("Punchout: %s unreachable: %s", url, type(exc).__name__)
            raise UserError(
                self.env._(
                    "The shop at %(url)s cannot be reached: %(error)s",
                    url=url,
                    error=type(exc).__name__,
                )
            ) from None

    # -- the cart coming back -----------------------------------------------

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
        account = self.account_id
        line = item["line"]
        quantity = self._parse_number(item, "quantity", self.env._("quantity"))
        price = self._parse_number(item, "price", self.env._("price"))
        per = self._parse_number(
            dict(item, price_per=item.get("price_per") or "1"),
            "price_per",
            self.env._("price unit"),
        )
        if quantity <= 0 or quantity > account.max_quantity:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the quantity %(qty)s is not between 0 "
                    "and %(max)s.",
                    line=line,
                    qty=quantity,
                    max=account.max_quantity,
                )
            )
        if per <= 0:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the price unit %(per)s is not positive.",
                    line=line,
                    per=per,
                )
            )
        price /= per
        if price < 0 or price > account.max_price:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the unit price %(price)s is not between 0 "
                    "and %(max)s.",
                    line=line,
                    price=price,
                    max=account.max_price,
                )
            )
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
                    line=line,
                    currency=code[:10],
                )
            )
        if currency != account.currency_id:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: the price is in %(currency)s, the shop's "
                    "account orders in %(account_currency)s.",
                    line=line,
                    currency=currency.name,
                    account_currency=account.currency_id.name,
                )
            )
        if len(item.get("code", "")) > 100 or len(item.get("description", "")) > 1000:
            raise UserError(
                self.env._(
                    "Cart line %(line)s: its product code or description is too long.",
                    line=line,
                )
            )
        return quantity, price

    def _prepare_lines(self, items):
        """Order line values of the checked cart ``items``."""
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
        code = self.env.user.with_company(self.company_id).it_punchout_activity_code_id
        today = fields.Date.context_today(self)
        values = []
        for item in items:
            quantity, price = self._check_item(item)
            mapping = account._map_product(item.get("code", ""))
            product = mapping.product_id or account.unmapped_product_id
            uom = account._map_uom(item.get("unit"))
            if uom and uom.category_id != product.uom_id.category_id:
                uom = uom.browse()
            purchase_uom = uom or product.uom_po_id
            # Devices, docks and monitors are counted in whole units.
            rounding = (
                1.0
                if purchase_uom.category_id
                == self.env.ref("uom.product_uom_categ_unit")
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
            if product.it_is_device and not code:
                raise UserError(
                    self.env._(
                        "Cart line %(line)s is an IT device: set your default "
                        "activity code (your user's Punchout Activity Code) first.",
                        line=item["line"],
                    )
                )
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
            name = item.get("description") or item.get("code")
            if item.get("longtext") and item["longtext"] != name:
                name = f"{name}\n{item['longtext']}"
            line_values = {
                "product_id": product.id,
                "name": name,
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
            values.append(line_values)
        return values

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
