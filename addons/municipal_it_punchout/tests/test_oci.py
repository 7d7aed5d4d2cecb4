# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PunchoutCommon


@tagged("post_install", "-at_install")
class TestOci(PunchoutCommon):
    def test_login_form(self):
        """The browser posts the OCI login fields and a one-time hook URL."""
        self.authenticate("pc_buyer", "pc_buyer")
        action = self.oci.with_user(self.buyer).action_shop()
        response = self.url_open(action["url"])
        url, fields = self._form(response.text)
        fields = dict(fields)
        self.assertEqual(url, f"{self.server.base_url}/oci")
        self.assertEqual(fields["USERNAME"], "kommun")
        self.assertEqual(fields["PASSWORD"], "demo-password")
        session = self.env["it.punchout.session"].search(
            [("user_id", "=", self.buyer.id)]
        )
        self.assertEqual(
            fields["HOOK_URL"], f"{self.base_url()}/punchout/return/{session.token}"
        )
        self.assertEqual(response.headers["Cache-Control"], "no-store")

    def test_login_form_of_another_user(self):
        """Another buyer cannot open someone's session (and read its login)."""
        action = self.oci.with_user(self.buyer).action_shop()
        self.authenticate("pc_other", "pc_other")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("demo-password", response.text)

    def test_cart_becomes_draft_order(self):
        """Two laptops, a dock and an unmapped laptop: a draft IT order of the
        buyer's company, at the shop's prices, on the buyer's activity code;
        the laptop above the agreement price and the unmapped line flagged."""
        order = self._shop(
            self.buyer, self.oci, {"DL-5450-I5": 2, "DL-WD19S": 1, "HP-840G11": 1}
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.reseller)
        self.assertEqual(order.company_id, self.company)
        self.assertEqual(order.currency_id, self.sek)
        self.assertEqual(order.user_id, self.buyer)
        self.assertEqual(order.punchout_account_id, self.oci)
        self.assertTrue(order.it_is_it_order)
        laptop, unmapped, dock = order.order_line.sorted(
            lambda ln: ln.punchout_code == "DL-WD19S"
        )
        if laptop.punchout_code != "DL-5450-I5":
            laptop, unmapped = unmapped, laptop
        self.assertEqual(laptop.product_id, self.laptop)
        self.assertEqual(laptop.product_qty, 2)
        self.assertEqual(laptop.price_unit, 12490)
        # 2 x 12 490 = 24 980 kr, above the agreement's 11 900 kr a piece.
        self.assertEqual(laptop.price_subtotal, 24980)
        self.assertEqual(laptop.punchout_agreement_price, 11900)
        self.assertTrue(laptop.punchout_price_above_agreement)
        self.assertEqual(laptop.analytic_distribution, {str(self.code.id): 100})
        self.assertEqual(laptop.it_activity_code_id, self.code)
        self.assertEqual(laptop.it_financing, "bought")
        self.assertEqual(laptop.punchout_matgroup, "43211503")
        self.assertFalse(laptop.punchout_unit_unmapped)
        self.assertEqual(dock.product_id, self.dock)
        self.assertEqual(dock.price_unit, 2390)
        self.assertFalse(dock.punchout_price_above_agreement)
        self.assertEqual(unmapped.punchout_code, "HP-840G11")
        self.assertEqual(unmapped.product_id, self.oci.unmapped_product_id)
        self.assertTrue(unmapped.punchout_unmapped)
        self.assertEqual(unmapped.price_unit, 13990)
        self.assertEqual(order.punchout_flagged_count, 2)
        # 24 980 + 2 390 + 13 990 = 41 360 kr untaxed.
        self.assertEqual(order.amount_untaxed, 41360)
        self.assertIn("3 lines, 2 flagged", order.message_ids[0].body)

        # The unmapped line stops the confirmation until its product is chosen.
        with self.assertRaisesRegex(UserError, "HP-840G11 are not mapped"):
            order.with_user(self.buyer).button_confirm()
        unmapped.with_user(self.buyer).product_id = self.laptop
        self.assertFalse(unmapped.punchout_unmapped)
        self.assertEqual(unmapped.it_activity_code_id, self.code)
        self._approve_and_confirm(order)
        self.assertFalse(order.punchout_send_state)
        self.assertEqual(self.shop.received_orders, [])

    def test_one_time_token(self):
        """A returned session's hook URL refuses a second cart."""
        self.authenticate("pc_buyer", "pc_buyer")
        action = self.oci.with_user(self.buyer).action_shop()
        return_form = self._fill_cart(self._open_shop(action), {"DL-WD19S": 1})
        self.assertEqual(self._post_return(return_form).status_code, 303)
        again = self._post_return(return_form)
        self.assertEqual(again.status_code, 400)
        self.assertIn("already returned its cart", again.text)
        self.assertEqual(
            self.env["purchase.order"].search_count(
                [("punchout_account_id", "=", self.oci.id)]
            ),
            1,
        )

    def test_return_without_session_cookie(self):
        """A real shop's cross-site post carries no Odoo cookie: the one-time
        token alone makes it the buyer's cart."""
        self.authenticate("pc_buyer", "pc_buyer")
        action = self.oci.with_user(self.buyer).action_shop()
        return_form = self._fill_cart(self._open_shop(action), {"DL-P2425H": 3})
        self.opener.cookies.clear()
        response = self._post_return(return_form)
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        order = self.env["purchase.order"].search(
            [("punchout_account_id", "=", self.oci.id)]
        )
        self.assertEqual(order.user_id, self.buyer)
        self.assertEqual(order.create_uid, self.buyer)
        self.assertEqual(order.order_line.product_id, self.monitor)
        self.assertFalse(order.order_line.punchout_price_above_agreement)

    def test_financed_product(self):
        """A mapping that says financed by a lessor makes financed lines."""
        lessor = self.env["res.partner"].create({"name": "Finans IT AB"})
        self.oci.product_map_ids.filtered(lambda m: m.shop_code == "DL-5450-I5").write(
            {"it_financing": "lessor", "it_lessor_id": lessor.id}
        )
        order = self._shop(self.buyer, self.oci, {"DL-5450-I5": 1})
        self.assertEqual(order.order_line.it_financing, "lessor")
        self.assertEqual(order.order_line.it_lessor_id, lessor)

    def test_no_default_activity_code(self):
        """A device in the cart of a buyer without a default activity code is
        refused: no order without a code."""
        self.buyer.with_company(self.company).it_punchout_activity_code_id = False
        self.authenticate("pc_buyer", "pc_buyer")
        action = self.oci.with_user(self.buyer).action_shop()
        return_form = self._fill_cart(self._open_shop(action), {"DL-5450-I5": 1})
        response = self._post_return(return_form)
        self.assertEqual(response.status_code, 400)
        self.assertIn("default activity code", response.text)
        self.assertFalse(
            self.env["purchase.order"].search(
                [("punchout_account_id", "=", self.oci.id)]
            )
        )
