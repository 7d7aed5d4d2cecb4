# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

CREDENTIALS_GROUP = "purchase.group_purchase_manager"


class ItPunchoutAccount(models.Model):
    _name = "it.punchout.account"
    _description = "Punchout Account"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Reseller",
        required=True,
        check_company=True,
        tracking=True,
        help="The vendor of the orders made in this shop.",
    )
    protocol = fields.Selection(
        selection=[("oci", "OCI 5.0"), ("cxml", "cXML 1.2")],
        required=True,
        default="cxml",
        tracking=True,
    )
    shop_url = fields.Char(
        string="Shop URL",
        required=True,
        tracking=True,
        help="OCI: the URL the login form is posted to. cXML: the URL of the "
        "PunchOutSetupRequest. A path (starting with /) is one of this server.",
    )
    order_url = fields.Char(
        string="Order URL",
        tracking=True,
        help="cXML: the URL the attested order (OrderRequest) is posted to.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="The currency of the shop's prices: a cart in another currency is "
        "refused.",
    )
    oci_username = fields.Char(string="OCI Username", groups=CREDENTIALS_GROUP)
    oci_password = fields.Char(string="OCI Password", groups=CREDENTIALS_GROUP)
    cxml_shared_secret = fields.Char(string="Shared Secret", groups=CREDENTIALS_GROUP)
    cxml_from_domain = fields.Char(string="From Domain", default="NetworkID")
    cxml_from_identity = fields.Char(
        string="From Identity", help="The municipality's identity at the shop."
    )
    cxml_to_domain = fields.Char(string="To Domain", default="DUNS")
    cxml_to_identity = fields.Char(
        string="To Identity", help="The shop's identity (e.g. its DUNS number)."
    )
    cxml_sender_domain = fields.Char(string="Sender Domain", default="NetworkID")
    cxml_sender_identity = fields.Char(string="Sender Identity")
    unmapped_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Unmapped Item Product",
        required=True,
        check_company=True,
        default=lambda self: self.env.ref(
            "municipal_it_punchout.product_punchout_unmapped",
            raise_if_not_found=False,
        ),
        help="Product of a cart line whose shop code has no mapping: the line is "
        "flagged and the order is confirmed only once it is mapped.",
    )
    product_map_ids = fields.One2many(
        comodel_name="it.punchout.product.map",
        inverse_name="account_id",
        string="Product Mapping",
    )
    uom_map_ids = fields.One2many(
        comodel_name="it.punchout.uom.map",
        inverse_name="account_id",
        string="Unit Mapping",
    )
    session_minutes = fields.Integer(
        string="Session Lifetime (minutes)",
        default=60,
        help="A cart returned later than this after opening the shop is refused.",
    )
    max_lines = fields.Integer(string="Max. Cart Lines", default=200)
    max_bytes = fields.Integer(string="Max. Cart Size (bytes)", default=1_000_000)
    max_quantity = fields.Float(string="Max. Quantity per Line", default=1000)
    max_price = fields.Monetary(
        string="Max. Unit Price",
        default=500_000,
        help="A unit price above this is refused as absurd.",
    )

    @api.constrains(
        "session_minutes", "max_lines", "max_bytes", "max_quantity", "max_price"
    )
    def _check_limits(self):
        for account in self:
            if (
                min(
                    account.session_minutes,
                    account.max_lines,
                    account.max_bytes,
                    account.max_quantity,
                    account.max_price,
                )
                <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "Punchout account %(account)s: its session lifetime and "
                        "cart limits must be positive.",
                        account=account.display_name,
                    )
                )

    @api.constrains("shop_url", "order_url")
    def _check_urls(self):
        for account in self:
            for url in (account.shop_url, account.order_url):
                if url and not url.startswith(("https://", "http://", "/")):
                    raise ValidationError(
                        self.env._(
                            "Punchout account %(account)s: %(url)s is not an "
                            "http(s) URL, nor a path of this server.",
                            account=account.display_name,
                            url=url,
                        )
                    )

    def action_shop(self):
        """Open the shop for the current user, for a new draft order."""
        self.ensure_one()
        return self._start_session().action_open()

    def _start_session(self, order=None):
        """A new punchout session of the current user on this account, for a
        new order or to reopen the cart of ``order`` (a draft)."""
        self.ensure_one()
        user = self.env.user
        if not user.has_group("purchase.group_purchase_user"):
            raise UserError(self.env._("Only purchase users can shop at a reseller."))
        self.check_access("read")
        if self.company_id not in user.company_ids:
            raise UserError(
                self.env._(
                    "%(account)s belongs to another company.",
                    account=self.display_name,
                )
            )
        if order:
            order.check_access("write")
            if order.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "%(order)s is confirmed: its cart cannot be reopened.",
                        order=order.display_name,
                    )
                )
            if (
                order.partner_id.commercial_partner_id
                != (self.partner_id.commercial_partner_id)
                or order.company_id != self.company_id
            ):
                raise UserError(
                    self.env._(
                        "%(order)s is not an order of %(reseller)s.",
                        order=order.display_name,
                        reseller=self.partner_id.display_name,
                    )
                )
        return (
            self.env["it.punchout.session"]
            .sudo()
            .create(
                {
                    "account_id": self.id,
                    "user_id": user.id,
                    "company_id": self.company_id.id,
                    "order_id": order.id if order else False,
                    "operation": "edit" if order else "create",
                    "expires_at": fields.Datetime.now()
                    + timedelta(minutes=self.session_minutes),
                }
            )
            .with_env(self.env)
        )

    def _url(self, field_name):
        """The account's URL ``field_name``; a path is one of this server
        (the simulated shop of the demo)."""
        self.ensure_one()
        url = self[field_name] or ""
        return f"{self.get_base_url()}{url}" if url.startswith("/") else url

    def _cxml_header(self):
        """The identities and the shared secret of the cXML headers (read
        as superuser: callers have checked the user's right to shop)."""
        self.ensure_one()
        account = self.sudo()
        return {
            "from_domain": account.cxml_from_domain,
            "from_identity": account.cxml_from_identity,
            "to_domain": account.cxml_to_domain,
            "to_identity": account.cxml_to_identity,
            "sender_domain": account.cxml_sender_domain or account.cxml_from_domain,
            "sender_identity": account.cxml_sender_identity
            or account.cxml_from_identity,
            "secret": account.cxml_shared_secret or "",
        }

    def _map_product(self, code):
        """The mapping of the shop's product ``code``, or an empty recordset."""
        self.ensure_one()
        return self.product_map_ids.filtered(lambda m: m.shop_code == code)[:1]

    def _map_uom(self, unit):
        """The unit of measure of the shop's ``unit`` code, or an empty one."""
        self.ensure_one()
        unit = (unit or "").strip().upper()
        return self.uom_map_ids.filtered(lambda m: m.shop_unit.upper() == unit)[
            :1
        ].uom_id
