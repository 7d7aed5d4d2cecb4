# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

import requests
from lxml import html

from odoo.tests import HttpCase, new_test_user

from ..tools import demo_shop
from .shop_server import ShopServer


class PunchoutCommon(HttpCase):
    """A municipality buying at a reseller's shop (the simulated shop on an
    HTTP server of its own): an activity code with its budget holder, a
    buyer whose default activity code it is, IT device products with the
    framework agreement's prices, and an OCI and a cXML account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ShopServer()
        cls.addClassCleanup(cls.server.stop)
        cls.shop = cls.server.shop
        env = cls.env
        cls.company = env.company
        cls.sek = env.ref("base.SEK")
        cls.sek.active = True
        cls.plan = env["account.analytic.plan"].create({"name": "Verksamheter"})
        cls.company.it_activity_code_plan_id = cls.plan
        purchase = "purchase.group_purchase_user"
        cls.buyer = new_test_user(
            env,
            login="pc_buyer",
            name="Inköpare Ida",
            email="ida@example.com",
            groups=f"{purchase},stock.group_stock_user",
        )
        cls.other_buyer = new_test_user(
            env, login="pc_other", name="Inköpare Olle", groups=purchase
        )
        cls.holder = new_test_user(
            env, login="pc_holder", name="Rektor Rut", groups=purchase
        )
        cls.admin_buyer = new_test_user(
            env,
            login="pc_admin",
            name="Inköpschef Ingrid",
            groups="purchase.group_purchase_manager",
        )
        cls.code = env["account.analytic.account"].create(
            {
                "name": "Grundskola",
                "code": "3200",
                "plan_id": cls.plan.id,
                "it_budget_holder_id": cls.holder.id,
                "it_approval_limit": 100000,
            }
        )
        cls.buyer.with_company(cls.company).it_punchout_activity_code_id = cls.code
        cls.other_buyer.with_company(
            cls.company
        ).it_punchout_activity_code_id = cls.code
        cls.reseller = env["res.partner"].create(
            {"name": "Demo Reseller AB", "is_company": True}
        )
        cls.laptop = cls._device("Bärbar dator 14", "LAP-14", "laptop")
        cls.monitor = cls._device("Bildskärm 24", "MON-24", "monitor")
        cls.dock = env["product.product"].create(
            {"name": "Dockningsstation", "type": "consu", "purchase_ok": True}
        )
        env["product.supplierinfo"].create(
            [
                {
                    "partner_id": cls.reseller.id,
                    "product_tmpl_id": cls.laptop.product_tmpl_id.id,
                    "price": 11900,
                    "currency_id": cls.sek.id,
                },
                {
                    "partner_id": cls.reseller.id,
                    "product_tmpl_id": cls.monitor.product_tmpl_id.id,
                    "price": 2190,
                    "currency_id": cls.sek.id,
                },
            ]
        )
        base = cls.server.base_url
        unit = env.ref("uom.product_uom_unit")
        mapping = [
            (0, 0, {"shop_code": "DL-5450-I5", "product_id": cls.laptop.id}),
            (0, 0, {"shop_code": "DL-P2425H", "product_id": cls.monitor.id}),
            (0, 0, {"shop_code": "DL-WD19S", "product_id": cls.dock.id}),
        ]
        Account = env["it.punchout.account"]
        cls.oci = Account.create(
            {
                "name": "Demo shop OCI",
                "partner_id": cls.reseller.id,
                "protocol": "oci",
                "shop_url": f"{base}/oci",
                "currency_id": cls.sek.id,
                "oci_username": demo_shop.USERNAME,
                "oci_password": demo_shop.PASSWORD,
                "product_map_ids": mapping,
                "uom_map_ids": [(0, 0, {"shop_unit": "EA", "uom_id": unit.id})],
            }
        )
        cls.cxml = Account.create(
            {
                "name": "Demo shop cXML",
                "partner_id": cls.reseller.id,
                "protocol": "cxml",
                "shop_url": f"{base}/cxml/setup",
                "order_url": f"{base}/cxml/order",
                "currency_id": cls.sek.id,
                "cxml_from_domain": demo_shop.BUYER_DOMAIN,
                "cxml_from_identity": demo_shop.BUYER_IDENTITY,
                "cxml_to_domain": demo_shop.SHOP_DOMAIN,
                "cxml_to_identity": demo_shop.SHOP_IDENTITY,
                "cxml_shared_secret": demo_shop.SHARED_SECRET,
                "product_map_ids": mapping,
                "uom_map_ids": [(0, 0, {"shop_unit": "EA", "uom_id": unit.id})],
            }
        )

    def setUp(self):
        super().setUp()
        self.shop.received_orders = []
        self.shop.fail_orders = False

    @classmethod
    def _device(cls, name, code, category):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "purchase_ok": True,
                "it_is_device": True,
                "it_device_category": category,
            }
        )

    # -- the browser's part, over HTTP --------------------------------------

    @staticmethod
    def _form(page):
        """``(action, [(name, value)])`` of the page's last form."""
        form = html.fromstring(page).xpath("//form")[-1]
        return form.get("action"), [
            (field.get("name"), field.get("value") or "")
            for field in form.xpath(".//input[@name]")
        ]

    def _open_shop(self, action):
        """The shop's catalogue form, from the action that opens the shop."""
        url = action["url"]
        if url.startswith("/punchout/start/"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, response.text)
            login_url, fields = self._form(response.text)
            response = requests.post(login_url, data=fields, timeout=10)
        else:
            response = requests.get(url, timeout=10)
        self.assertEqual(response.status_code, 200, response.text)
        return self._form(response.text)

    def _fill_cart(self, catalogue, quantities):
        """The form the shop posts back to Odoo, with ``quantities`` in the
        cart (shop code -> quantity)."""
        action, fields = catalogue
        fields = [
            (name, str(quantities.get(name[4:], value)))
            if name.startswith("qty_")
            else (name, value)
            for name, value in fields
        ]
        response = requests.post(action, data=fields, timeout=10)
        self.assertEqual(response.status_code, 200, response.text)
        return self._form(response.text)

    def _post_return(self, return_form):
        action, fields = return_form
        return self.url_open(action, data=fields, allow_redirects=False)

    def _shop(self, user, record, quantities):
        """Shop as ``user`` from an account or an order; return the order
        the cart became."""
        self.authenticate(user.login, user.login)
        if record._name == "purchase.order":
            action = record.with_user(user).action_punchout_shop()
        else:
            action = record.with_user(user).action_shop()
        return_form = self._fill_cart(self._open_shop(action), quantities)
        response = self._post_return(return_form)
        self.assertEqual(response.status_code, 303, response.text)
        order_id = int(re.search(r"/(\d+)$", response.headers["Location"]).group(1))
        self.env.invalidate_all()
        return self.env["purchase.order"].browse(order_id)

    def _approve_and_confirm(self, order):
        order.with_user(self.buyer).request_validation()
        order.with_user(self.holder).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")

    def _send_queued(self):
        """Run the job that sends the queued orders, as the scheduler does."""
        return self.env["purchase.order"]._cron_punchout_send()
