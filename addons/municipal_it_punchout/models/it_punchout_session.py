# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import secrets
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError

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
