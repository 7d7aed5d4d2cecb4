# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from odoo.tests import tagged

from ..tools import demo_shop
from .common import PunchoutCommon


class LaterStepRefused(Exception):
    """A step of the same request, after the confirmation, refuses."""


@tagged("post_install", "-at_install")
class TestCxml(PunchoutCommon):
    def test_setup_request(self):
        """Odoo posts a PunchOutSetupRequest with the identities, the shared
        secret and the one-time return URL, and opens the returned start
        page."""
        sent = []
        post = type(self.env["it.punchout.session"])._post

        def spy(session, url, document):
            sent.append(document)
            return post(session, url, document)

        self.patch(type(self.env["it.punchout.session"]), "_post", spy)
        action = self.cxml.with_user(self.buyer).action_shop()
        self.assertTrue(action["url"].startswith(f"{self.server.base_url}/cxml/start"))
        root = etree.fromstring(sent[0])
        session = self.env["it.punchout.session"].search(
            [("user_id", "=", self.buyer.id)]
        )
        setup = root.find("Request/PunchOutSetupRequest")
        self.assertEqual(setup.get("operation"), "create")
        self.assertEqual(setup.findtext("BuyerCookie"), session.token)
        self.assertEqual(
            setup.findtext("BrowserFormPost/URL"),
            f"{self.base_url()}/punchout/return/{session.token}",
        )
        self.assertEqual(
            root.findtext("Header/Sender/Credential/SharedSecret"), "demo-secret"
        )
        self.assertEqual(root.findtext("Header/From/Credential/Identity"), "KOMMUN-IT")
        self.assertEqual(root.findtext("Header/To/Credential/Identity"), "DEMO-SHOP")

    def test_cart_order_and_order_request(self):
        """Cart -> draft order -> attest -> confirmed -> OrderRequest with the
        order's number, the shop's answer in the chatter."""
        order = self._shop(self.buyer, self.cxml, {"DL-5450-I5": 3, "DL-P2425H": 3})
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.punchout_account_id, self.cxml)
        by_code = {line.punchout_code: line for line in order.order_line}
        self.assertEqual(by_code["DL-5450-I5"].product_id, self.laptop)
        self.assertEqual(by_code["DL-5450-I5"].price_unit, 12490)
        self.assertTrue(by_code["DL-5450-I5"].punchout_price_above_agreement)
        self.assertEqual(by_code["DL-P2425H"].product_id, self.monitor)
        self.assertEqual(by_code["DL-P2425H"].punchout_matgroup, "43211902")
        self.assertFalse(by_code["DL-P2425H"].punchout_price_above_agreement)
        # 3 x 12 490 + 3 x 2 190 = 37 470 + 6 570 = 44 040 kr.
        self.assertEqual(order.amount_untaxed, 44040)
        self.assertEqual(
            set(order.order_line.mapped("it_activity_code_id")), {self.code}
        )
        self._approve_and_confirm(order)
        # Sent by the job once the confirmation is committed, not before.
        self.assertEqual(order.punchout_send_state, "queued")
        self.assertEqual(self.shop.received_orders, [])
        self.assertEqual(self._send_queued(), order)
        self.assertEqual(order.punchout_send_state, "sent")
        self.assertEqual(
            self.shop.received_orders,
            [
                {
                    "order_id": order.name,
                    "items": [("DL-5450-I5", 3.0), ("DL-P2425H", 3.0)],
                }
            ],
        )
        self.assertIn("the shop answered 200 OK", order.message_ids[0].body)
        for message in order.message_ids:
            self.assertNotIn("demo-secret", message.body or "")

    def test_edit_cart(self):
        """Reopening the cart of a draft order sends operation edit with the
        order's items; the new cart replaces the shop's lines."""
        order = self._shop(self.buyer, self.cxml, {"DL-5450-I5": 2})
        action = order.with_user(self.buyer).action_punchout_shop()
        token = parse_qs(urlsplit(action["url"]).query)["s"][0]
        state = self.shop._unsign(token)
        self.assertEqual(state["operation"], "edit")
        self.assertEqual(state["quantities"], {"DL-5450-I5": 2.0})
        catalogue = self._open_shop(action)
        self.assertIn(("qty_DL-5450-I5", "2"), catalogue[1])
        response = self._post_return(
            self._fill_cart(catalogue, {"DL-5450-I5": 1, "DL-WD19S": 1})
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(
            sorted(
                order.order_line.mapped(lambda ln: (ln.punchout_code, ln.product_qty))
            ),
            [("DL-5450-I5", 1.0), ("DL-WD19S", 1.0)],
        )
        self.assertEqual(
            self.env["purchase.order"].search_count(
                [("punchout_account_id", "=", self.cxml.id)]
            ),
            1,
        )

    def test_base64_cart(self):
        """A cart posted as cxml-base64 is read as the urlencoded one."""
        self.authenticate("pc_buyer", "pc_buyer")
        self.cxml.with_user(self.buyer).action_shop()
        session = self.env["it.punchout.session"].search(
            [("user_id", "=", self.buyer.id)]
        )
        product = demo_shop.CATALOGUE[4]
        message = self.shop.order_message(session.token, [(product, 2)])
        response = self.url_open(
            f"/punchout/return/{session.token}",
            data={"cxml-base64": base64.b64encode(message).decode()},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text)
        self.env.invalidate_all()
        self.assertEqual(session.order_id.order_line.product_id, self.dock)
        self.assertEqual(session.order_id.order_line.product_qty, 2)
        self.assertEqual(session.state, "done")

    def test_order_request_fails(self):
        """A shop that refuses the order: the order stays confirmed, the
        failure is in the chatter with an activity; sending again works."""
        order = self._shop(self.buyer, self.cxml, {"DL-P2425H": 1})
        self.shop.fail_orders = True
        self._approve_and_confirm(order)
        self._send_queued()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.punchout_send_state, "failed")
        self.assertIn("500 Internal Error", order.message_ids[0].body)
        activity_type = self.env.ref(
            "municipal_it_punchout.mail_activity_type_punchout_send"
        )
        activity = order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(activity.user_id, self.buyer)
        self.assertEqual(self.shop.received_orders, [])
        self.shop.fail_orders = False
        order.with_user(self.buyer).action_punchout_send()
        self.assertEqual(order.punchout_send_state, "queued")
        self._send_queued()
        self.assertEqual(order.punchout_send_state, "sent")
        self.assertFalse(activity.exists())
        self.assertEqual(len(self.shop.received_orders), 1)
        self.assertEqual(self.shop.received_orders[0]["order_id"], order.name)

    def test_unreachable_shop(self):
        """A shop that cannot be reached: the order is confirmed all the
        same, with the activity to send it again."""
        order = self._shop(self.buyer, self.cxml, {"DL-P2425H": 1})
        self.cxml.order_url = "http://127.0.0.1:9/cxml/order"
        self._approve_and_confirm(order)
        self._send_queued()
        self.assertEqual(order.punchout_send_state, "failed")
        self.assertIn("cannot be reached", order.message_ids[0].body)

    def test_confirmation_rolled_back_sends_nothing(self):
        """The order goes to the shop only after its confirmation is saved:
        when a later step of the same request refuses and the confirmation
        rolls back, nothing was sent and nothing stays queued."""
        order = self._shop(self.buyer, self.cxml, {"DL-P2425H": 1})
        order.with_user(self.buyer).request_validation()
        order.with_user(self.holder).validate_tier()
        with self.assertRaises(LaterStepRefused), self.env.cr.savepoint():
            order.with_user(self.buyer).button_confirm()
            self.assertEqual(order.punchout_send_state, "queued")
            self.assertEqual(self.shop.received_orders, [])
            raise LaterStepRefused()
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.punchout_send_state)
        self.assertFalse(self._send_queued())
        self.assertEqual(self.shop.received_orders, [])

    def test_confirmation_triggers_the_job(self):
        """Confirming queues the order and triggers the sending job in the
        same transaction (a row of ir.cron.trigger)."""
        cron = self.env.ref("municipal_it_punchout.ir_cron_punchout_send")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        order = self._shop(self.buyer, self.cxml, {"DL-P2425H": 1})
        self._approve_and_confirm(order)
        new = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers
        self.assertEqual(len(new), 1)

    def test_repeated_document_is_taken_once(self):
        """A job killed after the shop took the order but before Odoo saved
        "sent" sends it again on its next run: the document carries the same
        cXML payloadID, and the shop takes the order once."""
        order = self._shop(self.buyer, self.cxml, {"DL-P2425H": 2})
        self._approve_and_confirm(order)
        first = order._punchout_order_document()
        self.assertEqual(
            etree.fromstring(first).get("payloadID"),
            etree.fromstring(order._punchout_order_document()).get("payloadID"),
        )
        self._send_queued()
        # The state the killed job left: queued again.
        self.env.cr.execute(
            "UPDATE purchase_order SET punchout_send_state = 'queued' WHERE id = %s",
            [order.id],
        )
        self.env.invalidate_all()
        self.assertEqual(self._send_queued(), order)
        self.assertEqual(order.punchout_send_state, "sent")
        self.assertEqual(
            self.shop.received_orders,
            [{"order_id": order.name, "items": [("DL-P2425H", 2.0)]}],
        )
