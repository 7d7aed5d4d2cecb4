# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Day one in a real browser (headless Chromium), in three logins: a
procurement officer follows the set-up checklist to the first IT purchase
order, saves it with its activity code entered on the line and requests the
approval; the budget holder approves it from the app's menu; the officer
confirms it and receives the delivery with the reseller's file of serial
numbers. A missing browser fails the test: it never skips it."""

import logging
import unittest

from odoo.tests import HttpCase, new_test_user, tagged

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestToursDayOnePurchase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = env.company
        company.company_registry = "2120000001"
        purchase = "purchase.group_purchase_user"
        cls.officer = new_test_user(
            env,
            login="tour_procurement_officer",
            name="Inköparen Ida",
            groups=f"{purchase},stock.group_stock_user,"
            "municipal_it_lease.municipal_it_lease_group_manager",
        )
        cls.holder = new_test_user(
            env,
            login="tour_budget_holder",
            name="Rektor Rut",
            groups=f"{purchase},municipal_it_lease.municipal_it_lease_group_user",
        )
        # The steps before the order, as the checklist's earlier links did.
        plan = env["account.analytic.plan"].create({"name": "Tour plan"})
        company.it_activity_code_plan_id = plan
        cls.code = env["account.analytic.account"].create(
            {
                "name": "Tour school",
                "code": "3200",
                "plan_id": plan.id,
                "it_budget_holder_id": cls.holder.id,
                "it_approval_limit": 50000,
            }
        )
        lessor = env["res.partner"].create(
            {"name": "Tour Finans AB", "is_company": True}
        )
        env["it.lease.rate"].create(
            {
                "lessor_id": lessor.id,
                "device_category": "laptop",
                "term_months": 36,
                "rate_type": "percent",
                "rate_percent": 2.95,
            }
        )
        cls.reseller = env["res.partner"].create(
            {"name": "Tour Reseller AB", "is_company": True}
        )
        cls.laptop = env["product.product"].create(
            {
                "name": "Tour laptop",
                "default_code": "TOUR-LAPTOP",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "purchase_ok": True,
                "it_is_device": True,
                "it_device_category": "laptop",
            }
        )

    def _tour(self, url, tour, user):
        try:
            self.start_tour(url, tour, login=user.login, timeout=180)
        except unittest.SkipTest as skipped:
            self.fail(f"Tour {tour} could not run: {skipped}")
        _logger.info("Tour ran: %s", tour)

    def test_procurement_officer_orders_from_the_checklist(self):
        self._tour("/odoo", "municipal_it_purchase_day_one_order", self.officer)
        order = self.env["purchase.order"].search(
            [("partner_id", "=", self.reseller.id)]
        )
        self.assertEqual(order.create_uid, self.officer)
        self.assertEqual(
            order.order_line.analytic_distribution, {str(self.code.id): 100.0}
        )
        self.assertEqual(order.order_line.it_activity_code_id, self.code)
        self.assertEqual(order.amount_untaxed, 10000.0)
        # Requested in the browser: the budget holder's review waits.
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(order.review_ids.requested_by, self.officer)
        self._tour("/odoo", "municipal_it_purchase_day_one_approve", self.holder)
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(order.review_ids.done_by, self.holder)
        self._tour(
            f"/odoo/action-municipal_it_purchase.purchase_order_action_it/{order.id}",
            "municipal_it_purchase_day_one_receive",
            self.officer,
        )
        self.assertEqual(order.state, "purchase")
        picking = order.picking_ids
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.lot_ids.name, "TOUR-PO-SN-1")
        device = self.env["maintenance.equipment"].search(
            [("serial_no", "=", "TOUR-PO-SN-1")]
        )
        self.assertEqual(device.activity_code_id, self.code)
        step = self.env.ref("municipal_it_lease.onboarding_onboarding_step_it_purchase")
        self.assertEqual(step.with_user(self.officer).it_setup_state, "done")
