# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Day one in a real browser (headless Chromium): a procurement officer
follows the set-up checklist to the first IT purchase order and saves it with
its activity code entered on the line. A tour runs as one login: the officer
then requests the approval, the budget holder approves as herself and the
officer receives the delivery, through the ORM as those users. A missing
browser fails the test: it never skips it."""

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
            env, login="tour_budget_holder", name="Rektor Rut", groups=purchase
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
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "purchase_ok": True,
                "it_is_device": True,
                "it_device_category": "laptop",
            }
        )

    def test_procurement_officer_orders_from_the_checklist(self):
        tour = "municipal_it_purchase_day_one_order"
        try:
            self.start_tour("/odoo", tour, login=self.officer.login, timeout=180)
        except unittest.SkipTest as skipped:
            self.fail(f"Tour {tour} could not run: {skipped}")
        _logger.info("Tour ran: %s", tour)
        order = self.env["purchase.order"].search(
            [("partner_id", "=", self.reseller.id)]
        )
        self.assertEqual(order.create_uid, self.officer)
        self.assertEqual(
            order.order_line.analytic_distribution, {str(self.code.id): 100.0}
        )
        self.assertEqual(order.order_line.it_activity_code_id, self.code)
        self.assertEqual(order.amount_untaxed, 10000.0)
        # Requested from the budget holder, who approves as herself.
        order.with_user(self.officer).request_validation()
        self.assertEqual(order.validation_status, "pending")
        order.with_user(self.holder).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        # The officer confirms and receives the delivery's serial number.
        order.with_user(self.officer).button_confirm()
        picking = order.picking_ids.with_user(self.officer)
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": self.laptop.id,
                "product_uom_id": move.product_uom.id,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "lot_name": "TOUR-PO-SN-1",
                "quantity": 1,
            }
        )
        move.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        device = self.env["maintenance.equipment"].search(
            [("serial_no", "=", "TOUR-PO-SN-1")]
        )
        self.assertEqual(device.activity_code_id, self.code)
        step = self.env.ref("municipal_it_lease.onboarding_onboarding_step_it_purchase")
        self.assertEqual(step.with_user(self.officer).it_setup_state, "done")
