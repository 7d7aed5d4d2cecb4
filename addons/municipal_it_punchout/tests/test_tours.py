# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A buyer's order in a real browser (headless Chromium), through the
simulated shop this addon serves: shop -> cart -> draft order -> attest ->
confirmed. A missing browser fails the test: it never skips."""

import logging
import unittest

from odoo.tests import HttpCase, new_test_user, tagged

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["ir.config_parameter"].set_param("municipal_it_punchout.demo_shop", "1")
        sek = env.ref("base.SEK")
        sek.active = True
        plan = env["account.analytic.plan"].create({"name": "Tour plan"})
        env.company.it_activity_code_plan_id = plan
        cls.user = new_test_user(
            env,
            login="pc_tour",
            name="IT-samordnare Tove",
            groups="purchase.group_purchase_user,stock.group_stock_user",
        )
        cls.holder = new_test_user(
            env,
            login="pc_tour_holder",
            name="Enhetschef Hugo",
            groups="purchase.group_purchase_user",
        )
        cls.code = env["account.analytic.account"].create(
            {
                "name": "IT-enheten",
                "code": "9100",
                "plan_id": plan.id,
                "it_budget_holder_id": cls.holder.id,
                "it_approval_limit": 100000,
            }
        )
        cls.user.with_company(env.company).it_punchout_activity_code_id = cls.code
        reseller = env["res.partner"].create({"name": "Tour Reseller AB"})
        cls.laptop = env["product.product"].create(
            {
                "name": "Tour laptop",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "purchase_ok": True,
                "it_is_device": True,
                "it_device_category": "laptop",
            }
        )
        cls.dock = env["product.product"].create(
            {"name": "Tour dock", "type": "consu", "purchase_ok": True}
        )
        cls.account = env["it.punchout.account"].create(
            {
                "name": "Tour shop",
                "partner_id": reseller.id,
                "protocol": "oci",
                "shop_url": "/punchout_demo_shop/oci",
                "currency_id": sek.id,
                "oci_username": "kommun",
                "oci_password": "demo-password",
                "product_map_ids": [
                    (0, 0, {"shop_code": "DL-5450-I5", "product_id": cls.laptop.id}),
                    (0, 0, {"shop_code": "DL-WD19S", "product_id": cls.dock.id}),
                ],
                "uom_map_ids": [
                    (
                        0,
                        0,
                        {
                            "shop_unit": "EA",
                            "uom_id": env.ref("uom.product_uom_unit").id,
                        },
                    )
                ],
            }
        )

    def _tour(self, url, name, login):
        try:
            self.start_tour(url, name, login=login, timeout=180)
        except unittest.SkipTest as skipped:
            # Odoo skips browser tests without a browser: here that is a
            # failure, the tour is part of the suite.
            self.fail(f"Tour {name} could not run: {skipped}")
        _logger.info("Tour ran: %s", name)

    def test_shop_cart_attest_confirm(self):
        """The buyer fills the cart at the shop and requests the attest; the
        budget holder attests and confirms."""
        self._tour("/odoo/it-punchout-shop", "municipal_it_punchout_shop", "pc_tour")
        order = self.env["purchase.order"].search(
            [("punchout_account_id", "=", self.account.id)]
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.review_ids.reviewer_ids, self.holder)
        self._tour(
            f"/odoo/action-municipal_it_purchase.purchase_order_action_it/{order.id}",
            "municipal_it_punchout_attest",
            "pc_tour_holder",
        )
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(
            sorted(
                order.order_line.mapped(lambda ln: (ln.punchout_code, ln.product_qty))
            ),
            [("DL-5450-I5", 2.0), ("DL-WD19S", 1.0)],
        )
        # 2 x 12 490 + 2 390 = 27 370 kr untaxed.
        self.assertEqual(order.amount_untaxed, 27370)
        self.assertEqual(
            order.order_line.filtered(
                lambda ln: ln.product_id == self.laptop
            ).it_activity_code_id,
            self.code,
        )
