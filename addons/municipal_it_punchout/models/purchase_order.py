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
        selection=[
            ("queued", "Waiting to Send"),
            ("sent", "Sent to Shop"),
            ("failed", "Sending Failed"),
        ],
        string="Shop Order",
        readonly=True,
        copy=False,
        tracking=True,
        help="cXML: whether the confirmed order was sent to the shop as an "
        "OrderRequest. A confirmed order waits for the job that sends it once "
        "the confirmation is saved: the shop never receives an order that Odoo "
        "did not keep.",
    )
    punchout_flagged_count = fields.Integer(
        string="Flagged Shop Lines", compute="_compute_punchout_flagged_count"
    )

    @api.depends("partner_id", "company_id", "punchout_account_id")
    def _compute_punchout_shop_account_id(self):
        """The order's own shop, else the first shop of its vendor (or the
        vendor's company) in the order's company: one search for all."""
        vendors = self.partner_id.commercial_partner_id
        accounts = self.env["it.punchout.account"]
        if vendors:
            accounts = accounts.search(
                [
                    ("partner_id", "child_of", vendors.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        for order in self:
            vendor = order.partner_id.commercial_partner_id
            order.punchout_shop_account_id = order.punchout_account_id or next(
                (
                    account
                    for account in accounts
                    if account.company_id == order.company_id
                    and account.partner_id.commercial_partner_id == vendor
                ),
                accounts.browse(),
            )

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
        )._punchout_queue()
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
        self._punchout_queue()

    def _punchout_queue(self):
        """Queue the orders for the job that sends them to their shop. The
        job's trigger is written in the confirmation's transaction: an order
        goes to the shop only once its confirmation is committed, and a
        confirmation that rolls back sends nothing."""
        if not self:
            return
        self.sudo().punchout_send_state = "queued"
        self.env.ref("municipal_it_punchout.ir_cron_punchout_send").sudo()._trigger()

    @api.model
    def _cron_punchout_send(self, batch_size=20):
        """Send the queued orders, a batch per call; the job commits after
        each batch and runs again while orders remain (``_notify_progress``).
        An order being sent by another worker is skipped, not sent twice."""
        self.flush_model(["punchout_send_state"])
        self.env.cr.execute(
            """
            SELECT id FROM purchase_order
             WHERE punchout_send_state = 'queued'
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            [batch_size],
        )
        orders = self.browse([row[0] for row in self.env.cr.fetchall()])
        orders._punchout_send()
        remaining = self.search_count([("punchout_send_state", "=", "queued")])
        self.env["ir.cron"]._notify_progress(done=len(orders), remaining=remaining)
        return orders

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

    def _punchout_payload_id(self):
        """The OrderRequest's cXML ``payloadID``: the same for every sending
        of the order, so that a shop recognises a repeated document (a job
        killed after the shop answered sends it again) as the one it has."""
        self.ensure_one()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"order-{self.id}-{uuid[:13]}@odoo"

    def _punchout_order_document(self):
        """The cXML OrderRequest (bytes) of the order."""
        self.ensure_one()
        ship_to = self.picking_type_id.warehouse_id.partner_id or (
            self.company_id.partner_id
        )
        return cxml.order_request(
            self.punchout_account_id._cxml_header(),
            {
                "number": self.name,
                "date": self.date_approve or fields.Datetime.now(),
                "total": self.amount_total,
                "currency": self.currency_id.name,
                "bill_to": self._punchout_address(self.company_id.partner_id),
                "ship_to": self._punchout_address(ship_to),
            },
            self._punchout_order_items(),
            payload_id=self._punchout_payload_id(),
        )

    def _punchout_post_order(self):
        """Post the order to its shop: ``(error, code, text)``, ``error``
        false when the shop took it."""
        self.ensure_one()
        account = self.punchout_account_id
        try:
            answer = self.env["it.punchout.session"]._post(
                account._url("order_url") or account._url("shop_url"),
                self._punchout_order_document(),
            )
            code, text, __ = cxml.response_status(
                self.env, answer.content, self.env._("The shop's answer")
            )
        except UserError as exc:
            return exc.args[0], "", ""
        if not code.startswith("2"):
            return (
                self.env._("the shop answered %(code)s %(text)s", code=code, text=text),
                code,
                text,
            )
        return False, code, text

    def _punchout_send(self):
        """Post each order's cXML OrderRequest to its shop. The order stays
        confirmed whatever the shop answers: a failure is written in the
        chatter with an activity to send it again."""
        for order in self:
            error, code, text = order._punchout_post_order()
            if error:
                order._punchout_send_failed(error)
            else:
                order._punchout_sent(code, text)

    def _punchout_sent(self, code, text):
        self.ensure_one()
        self.sudo().punchout_send_state = "sent"
        send_type = self.env.ref(SEND_ACTIVITY)
        self.activity_ids.filtered(
            lambda a: a.activity_type_id == send_type
        ).action_feedback(feedback=self.env._("Sent"))
        log_note(
            self,
            self.env._(
                "Order %(order)s sent to %(shop)s: the shop answered "
                "%(code)s %(text)s.",
                order=self.name,
                shop=self.punchout_account_id.display_name,
                code=code,
                text=text,
            ),
        )

    def _punchout_send_failed(self, error):
        self.ensure_one()
        self.sudo().punchout_send_state = "failed"
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
