# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PunchoutCommon


@tagged("post_install", "-at_install")
class TestAccess(PunchoutCommon):
    def test_new_order_without_vendor_has_no_shop(self):
        """A new order's form, before a vendor is chosen, opens (no shop)."""
        order = self.env["purchase.order"].new({"partner_id": False})
        self.assertFalse(order.punchout_shop_account_id)

    def test_credentials_for_administrators_only(self):
        account = self.cxml.with_user(self.buyer)
        self.assertEqual(account.name, "Demo shop cXML")
        for field in ("cxml_shared_secret", "oci_password", "oci_username"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                account.read([field])
        self.assertEqual(
            self.cxml.with_user(self.admin_buyer).cxml_shared_secret, "demo-secret"
        )
        with self.assertRaises(AccessError):
            account.write({"shop_url": "https://evil.example.com"})

    def test_credentials_never_in_chatter(self):
        """The account's changes are tracked, its credentials never."""
        Account = self.env["it.punchout.account"]
        self.assertTrue(getattr(Account._fields["shop_url"], "tracking", False))
        for field in ("oci_username", "oci_password", "cxml_shared_secret"):
            self.assertFalse(getattr(Account._fields[field], "tracking", False), field)
        account = self.cxml.with_user(self.admin_buyer)
        account.write({"cxml_shared_secret": "new-secret", "name": "Demo shop 2"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        account.cxml_shared_secret = "demo-secret"
        order = self._shop(self.buyer, self.cxml, {"DL-WD19S": 1})
        self.assertTrue(order)
        for secret in ("new-secret", "demo-secret"):
            self.assertFalse(
                self.env["mail.message"].search_count([("body", "ilike", secret)])
            )
            self.assertFalse(
                self.env["mail.tracking.value"].search_count(
                    [
                        "|",
                        ("old_value_char", "ilike", secret),
                        ("new_value_char", "ilike", secret),
                    ]
                )
            )

    def test_other_company(self):
        other = self.env["res.company"].create({"name": "Grannkommunen"})
        foreign = self.env["it.punchout.account"].create(
            {
                "name": "Their shop",
                "partner_id": self.reseller.id,
                "protocol": "oci",
                "shop_url": "https://shop.example.com/oci",
                "company_id": other.id,
            }
        )
        Account = self.env["it.punchout.account"].with_user(self.buyer)
        self.assertNotIn(foreign, Account.search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.buyer).action_shop()

    def test_sessions_are_private(self):
        self.oci.with_user(self.buyer)._start_session()
        Session = self.env["it.punchout.session"]
        self.assertEqual(len(Session.with_user(self.buyer).search([])), 1)
        self.assertFalse(Session.with_user(self.other_buyer).search([]))
        self.assertEqual(len(Session.with_user(self.admin_buyer).search([])), 1)
        with self.assertRaises(AccessError):
            Session.with_user(self.buyer).search([]).token  # noqa: B018

    def test_reopen_cart_of_confirmed_order(self):
        order = self.env["purchase.order"].create(
            {"partner_id": self.reseller.id, "state": "cancel"}
        )
        with self.assertRaisesRegex(UserError, "cannot be reopened"):
            order.with_user(self.buyer).action_punchout_shop()

    def test_not_a_purchase_user(self):
        user = new_test_user(self.env, login="pc_employee", groups="base.group_user")
        with self.assertRaises(UserError):
            self.oci.with_user(user).action_shop()

    def test_portal_sees_nothing(self):
        portal = new_test_user(self.env, login="pc_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.env["it.punchout.account"].with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.oci.with_user(portal).read(["oci_password"])

    def test_expired_sessions_are_vacuumed(self):
        old, recent = self.oci.with_user(self.buyer)._start_session() | (
            self.oci.with_user(self.buyer)._start_session()
        )
        old.sudo().expires_at = fields.Datetime.now() - timedelta(days=31)
        recent.sudo().expires_at = fields.Datetime.now() - timedelta(days=29)
        self.env["it.punchout.session"]._gc_expired_sessions()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
