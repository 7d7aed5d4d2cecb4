# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDayOnePurchase(TransactionCase):
    def test_a_buyer_fills_in_the_activity_code_of_a_line(self):
        # A buyer without Odoo's Analytic Accounting group (which would let
        # them edit every analytic account) still has the line's analytic
        # distribution, where the activity code of an IT line is entered.
        buyer = new_test_user(
            self.env, login="day_one_buyer", groups="purchase.group_purchase_user"
        )
        self.assertFalse(buyer.has_group("analytic.group_analytic_accounting"))
        arch = etree.fromstring(
            self.env["purchase.order"]
            .with_user(buyer)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        columns = arch.xpath("//field[@name='order_line']/list/field/@name")
        self.assertIn("analytic_distribution", columns)
