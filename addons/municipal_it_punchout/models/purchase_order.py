# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.activity import schedule_activity
from odoo.addons.municipal_it_lease.tools.chatter import log_note

from ..tools import cxml

_logger = logging.getLogger(__name__)

SEND_ACTIVITY = "municipal_it_punchout.mail_activity_type_punchout_send"


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    punchout_account_id = fields.Many2one(
        comodel_name="it.punchout.account",
        string="Punchout Shop",
        readonly=True,
        copy=False,
        check_company=True,
        index="btree_not_null",
        help="The reseller's shop whose cart this order is.",
    )
    punchout_shop_account_id = fields.Many2one(
        comodel_name="it.punchout.account",
        string="Shop of the Vendor",
        compute="_compute_punchout_shop_account_id",
    )
    punchout_send_state = fields.Selection(
        selection=[("sent", "Sent to Shop"), ("failed", "Sending Failed")],
        string="Shop Order",
        readonly=True,
        copy=False,
        tracking=True,
        help="cXML: whether the confirmed order was sent to the shop as an "
        "OrderRequest.",
    )
    punchout_flagged_count = fields.Integer(
        string="Flagged Shop Lines", compute="_compute_punchout_flagged_count"
    )

    @api.depends("partner_id", "company_id", "punchout_account_id")
    def _compute_punchout_shop_account_id(self):
        Account = self.env["it.punchout.account"]
        for order in self:
            account = order.punchout_account_id
            if not account and order.partner_id:
                account = Account.search(
                    [
                        (
                            "partner_id",
                            "child_of",
                            order.partner_id.commercial_partner_id.id,
                        ),
                        ("company_id", "=", order.company_id.id),
                    ],
                    limit=1,
                )
            order.punchout_shop_account_id = account

    @api.depends(
        "order_line.punchout_unmapped",
        "order_line.punchout_unit_unmapped",
        "order_line.punchout_price_above_agreement",
    )
    def _compute_punchout_flagged_count(self):
        for order in self:
            order.punchout_flagged_count = len(
                order.order_line.filtered(lambda ln: ln._punchout_is_flagged())
            )

    def action_punchout_shop(self):
        """Open the vendor's shop: reopen this draft order's cart there, or
        fill a cart for this order."""
        self.ensure_one()
        account = self.punchout_shop_account_id
        if not account:
            raise UserError(
                self.env._(
                    "%(vendor)s has no punchout shop in %(company)s.",
                    vendor=self.partner_id.display_name,
                    company=self.company_id.name,
                )
            )
        return account._start_session(order=self).action_open()

    def button_confirm(self):
        self._check_punchout_mapped()
        res = super().button_confirm()
        self.filtered(
            lambda o: (
                o.state == "purchase"
                and o.punchout_account_id.protocol == "cxml"
                and not o.punchout_send_state
            )
        )._punchout_send()
        return res

    def _check_punchout_mapped(self):
        """An order is confirmed only once each shop line has a product."""
        for order in self.filtered("punchout_account_id"):
            unmapped = order.order_line.filtered("punchout_unmapped")
            if unmapped:
                raise UserError(
                    self.env._(
                        "%(order)s cannot be confirmed: the shop's products "
                        "%(codes)s are not mapped to a product. Choose their "
                        "product on the lines, or map the codes on the punchout "
                        "account.",
                        order=order.display_name,
                        codes=", ".join(unmapped.mapped("punchout_code")),
                    )
                )

    def action_punchout_send(self):
        """Send the confirmed order to its shop again."""
        for order in self:
            if order.state not in ("purchase", "done") or not (
                order.punchout_account_id.protocol == "cxml"
            ):
                raise UserError(
                    self.env._(
                        "%(order)s is not a confirmed order of a cXML shop.",
                        order=order.display_name,
                    )
                )
            if order.punchout_send_state == "sent":
                raise UserError(
                    self.env._(
                        "%(order)s was already sent to the shop.",
                        order=order.display_name,
                    )
                )
        self._punchout_send()

    def _punchout_order_items(self):
        self.ensure_one()
        return [
            {
                "code": line.punchout_code or line.product_id.default_code or "",
                "quantity": line.product_qty,
                "price": line.price_unit,
                "currency": self.currency_id.name,
                "description": line.name or "",
                "unit": line.punchout_unit or "EA",
            }
            for line in self.order_line.filtered(lambda ln: not ln.display_type)
        ]

    def _punchout_address(self, partner):
        return {
            "name": partner.name or "",
            "street": partner.street or "",
            "city": partner.city or "",
            "zip": partner.zip or "",
            "country": partner.country_id.code or "SE",
        }

    def _punchout_send(self):
        """Post each order's cXML OrderRequest to its shop. The order stays
        confirmed whatever the shop answers: a failure is written in the
        chatter with an activity to send it again."""
        for order in self:
            account = order.punchout_account_id
            ship_to = order.picking_type_id.warehouse_id.partner_id or (
                order.company_id.partner_id
            )
            document = cxml.order_request(
                account._cxml_header(),
                {
                    "number": order.name,
                    "date": order.date_approve or fields.Datetime.now(),
                    "total": order.amount_total,
                    "currency": order.currency_id.name,
                    "bill_to": order._punchout_address(order.company_id.partner_id),
                    "ship_to": order._punchout_address(ship_to),
                },
                order._punchout_order_items(),
            )
            error = False
            try:
                answer = self.env["it.punchout.session"]._post(
                    account._url("order_url") or account._url("shop_url"), document
                )
                code, text, __ = cxml.response_status(
                    self.env, answer.content, self.env._("The shop's answer")
                )
                if not code.startswith("2"):
                    error = self.env._(
                        "the shop answered %(code)s %(text)s",
                        code=code,
                        text=text,
                    )
            except UserError as exc:
                error = exc.args[0]
                code, text = "", ""
            if error:
                order._punchout_send_failed(error)
            else:
                order.punchout_send_state = "sent"
                send_type = self.env.ref(SEND_ACTIVITY)
                order.activity_ids.filtered(
                    lambda a, t=send_type: a.activity_type_id == t
                ).action_feedback(feedback=self.env._("Sent"))
                log_note(
                    order,
                    self.env._(
                        "Order %(order)s sent to %(shop)s: the shop answered "
                        "%(code)s %(text)s.",
                        order=order.name,
                        shop=account.display_name,
                        code=code,
                        text=text,
                    ),
                )

    def _punchout_send_failed(self, error):
        self.ensure_one()
        self.punchout_send_state = "failed"
        log_note(
            self,
            self.env._(
                "Order %(order)s could not be sent to %(shop)s: %(error)s. It stays "
                "confirmed: send it again from the order.",
                order=self.name,
                shop=self.punchout_account_id.display_name,
                error=error,
            ),
        )
        schedule_activity(
            self,
            self.user_id or self.env.user,
            lambda localized: (
                localized.env._(
                    "Send %(order)s to the shop again", order=localized.name
                ),
                False,
            ),
            SEND_ACTIVITY,
        )
