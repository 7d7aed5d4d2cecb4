# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..tools import demo_shop
from .common import PunchoutCommon

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE cXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<cXML><Header/><Message><PunchOutOrderMessage><BuyerCookie>&xxe;</BuyerCookie>
</PunchOutOrderMessage></Message></cXML>"""


@tagged("post_install", "-at_install")
class TestBadReturns(PunchoutCommon):
    """Whatever comes back is checked: a refused cart writes nothing and
    says why."""

    def _session(self, account, user=None):
        user = user or self.buyer
        self.authenticate(user.login, user.login)
        account.with_user(user).action_shop() if account.protocol == "cxml" else (
            account.with_user(user)._start_session()
        )
        return self.env["it.punchout.session"].search(
            [("user_id", "=", user.id), ("account_id", "=", account.id)], limit=1
        )

    def _refused(self, session, data, message, status=400):
        response = self.url_open(
            f"/punchout/return/{session.token}", data=data, allow_redirects=False
        )
        self.assertEqual(response.status_code, status, response.text)
        self.assertIn(message, response.text)
        self.env.invalidate_all()
        self.assertFalse(
            self.env["purchase.order"].search([("punchout_account_id", "!=", False)])
        )
        self.assertFalse(session.order_id)
        return response

    def _oci(self, **overrides):
        item = {
            "NEW_ITEM-DESCRIPTION[1]": "Dell P2425H",
            "NEW_ITEM-QUANTITY[1]": "2",
            "NEW_ITEM-UNIT[1]": "EA",
            "NEW_ITEM-PRICE[1]": "2190.00",
            "NEW_ITEM-CURRENCY[1]": "SEK",
            "NEW_ITEM-VENDORMAT[1]": "DL-P2425H",
        }
        item.update(overrides)
        return item

    def _cxml(self, session, replace=(), cart=None):
        cart = cart or [(demo_shop.CATALOGUE[2], 2)]
        message = self.shop.order_message(session.token, cart)
        for old, new in replace:
            self.assertIn(old, message)
            message = message.replace(old, new)
        return {"cxml-urlencoded": message.decode()}

    def test_unknown_token(self):
        self._session(self.oci)
        self._refused(
            self.env["it.punchout.session"].new({"token": "nope"}),
            self._oci(),
            "Unknown punchout session",
            status=404,
        )

    def test_expired_session(self):
        session = self._session(self.oci)
        session.expires_at = fields.Datetime.now() - timedelta(minutes=1)
        self._refused(session, self._oci(), "has expired")
        self.assertEqual(session.state, "open")

    def test_session_of_another_user(self):
        session = self._session(self.oci)
        self.authenticate("pc_other", "pc_other")
        self._refused(session, self._oci(), "another user", status=403)

    def test_oci_bad_values(self):
        session = self._session(self.oci)
        cases = [
            ({"NEW_ITEM-QUANTITY[1]": "-2"}, "quantity -2.0 is not between"),
            ({"NEW_ITEM-QUANTITY[1]": "1e9"}, "is not between 0 and 1000"),
            ({"NEW_ITEM-QUANTITY[1]": "nan"}, "is not a number"),
            ({"NEW_ITEM-QUANTITY[1]": "1.5"}, "not a whole number"),
            ({"NEW_ITEM-PRICE[1]": "-10"}, "unit price -10.0 is not between"),
            ({"NEW_ITEM-PRICE[1]": "99999999"}, "is not between 0 and 500000"),
            ({"NEW_ITEM-PRICE[1]": "12,50"}, "is not a number"),
            ({"NEW_ITEM-CURRENCY[1]": "XYZ"}, "unknown currency"),
            ({"NEW_ITEM-CURRENCY[1]": "EUR"}, "the price is in EUR"),
        ]
        for overrides, message in cases:
            with self.subTest(overrides=overrides):
                self._refused(session, self._oci(**overrides), message)
        self._refused(session, {"foo": "bar"}, "The cart is empty")
        self.assertEqual(session.state, "open")

    def test_oversized_carts(self):
        session = self._session(self.oci)
        self.oci.max_lines = 2
        lines = {}
        for number in (1, 2, 3):
            lines.update(
                {
                    key.replace("[1]", f"[{number}]"): value
                    for key, value in self._oci().items()
                }
            )
        self._refused(session, lines, "3 lines, more than the 2 allowed")
        self.oci.max_bytes = 100
        self._refused(session, self._oci(), "bytes allowed")

    def test_cxml_credentials(self):
        session = self._session(self.cxml)
        self._refused(
            session,
            self._cxml(session, [(b"demo-secret", b"guessed")]),
            "Sender credential does not match",
        )
        self._refused(
            session,
            self._cxml(session, [(b"<Identity>DEMO-SHOP", b"<Identity>EVIL-SHOP")]),
            "From credential does not match",
        )
        self._refused(
            session,
            self._cxml(session, [(b"<Identity>KOMMUN-IT", b"<Identity>OTHER")]),
            "To credential does not match",
        )
        self._refused(
            session,
            self._cxml(
                session,
                [(session.token.encode(), b"another-session-cookie")],
            ),
            "belongs to another punchout session",
        )

    def test_cxml_malformed(self):
        session = self._session(self.cxml)
        self._refused(
            session, {"cxml-urlencoded": XXE.decode()}, "declares XML entities"
        )
        self._refused(session, {"cxml-urlencoded": "<cXML><Header>"}, "not well-formed")
        self._refused(session, {"cxml-base64": "%%%"}, "not base64")
        self._refused(session, {"other": "x"}, "holds no cXML cart")
        self._refused(
            session,
            self._cxml(session, [(b'currency="SEK"', b'currency="ZZZ"')]),
            "unknown currency",
        )
        self._refused(
            session,
            self._cxml(session, [(b'quantity="2"', b'quantity="-1"')]),
            "quantity -1.0 is not between",
        )
