# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA's steps of the attest (request, validate, reject, restart, delete) and
the receipt that registers the devices run with sudo(): each keeps the
user's rights (another company's buyer, an internal user without Purchase
and a portal user are refused before anything is written) and the state
that allows it."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.sudo_steps import SudoStepsMixin

from .common import ItPurchaseCommon

BUYER = "purchase.group_purchase_user,stock.group_stock_user"


@tagged("post_install", "-at_install")
class TestPurchaseSudoSteps(SudoStepsMixin, ItPurchaseCommon):
    _prefix = "sudo_purchase"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_attackers(cls.company, BUYER)

    def _watch(self):
        return [
            (
                "purchase.order",
                [],
                ["state", "validation_status", "it_attest_amounts"],
            ),
            (
                "tier.review",
                [],
                ["status", "done_by", "reviewer_ids", "it_activity_code_id"],
            ),
            ("stock.picking", [], ["state"]),
            (
                "maintenance.equipment",
                [],
                ["serial_no", "it_purchase_id", "it_receipt_picking_id"],
            ),
        ]

    def _order(self):
        # 2 laptops × 10,000 on the school code, below its limit of 50,000.
        return self._create_order([self._line(self.laptop, 2, 10000, self.code_school)])

    def test_request_and_restart(self):
        order = self._order()
        self.assertStepsRefused(order, "request_validation", self._watch())
        order.with_user(self.buyer).request_validation()
        self.assertEqual(order.review_ids.status, "pending")
        self.assertStepsRefused(order, "restart_validation", self._watch())

    def test_validate_and_reject(self):
        order = self._order()
        # Nothing to decide before the attest is requested.
        self.assertStepsRefused(
            order, "validate_tier", self._watch(), self.holder_school, UserError
        )
        order.with_user(self.buyer).request_validation()
        for method in ("validate_tier", "reject_tier"):
            self.assertStepsRefused(order, method, self._watch())
            # A buyer of the company who is no approver, and the order's own
            # buyer.
            self.assertStepsRefused(
                order, method, self._watch(), self.outsider | self.buyer
            )
        order.with_user(self.holder_school).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        # Decided: the deputy has nothing left to approve or reject.
        self.assertStepsRefused(
            order,
            ("validate_tier", "reject_tier"),
            self._watch(),
            self.deputy_school,
            UserError,
        )

    def test_delete_order(self):
        order = self._order()
        order.with_user(self.buyer).request_validation()
        self.assertStepsRefused(order, "unlink", self._watch())
        self._confirm(self._order(), self.holder_school)
        confirmed = self.env["purchase.order"].search(
            [("state", "=", "purchase")], limit=1
        )
        # A confirmed order is not deleted, nor are its reviews: Odoo's
        # refusal comes before the step removes them (read before the
        # refusal is rolled back).
        reviews = confirmed.review_ids
        error = self.assertRefusedUnwritten(
            lambda: confirmed.with_user(self.buyer).unlink(), self._watch(), UserError
        )
        self.assertIn("cancel it first", str(error))
        self.assertEqual(
            (confirmed.exists().state, reviews.exists().mapped("status")),
            ("purchase", ["approved"]),
        )

    def test_receipt_registers_devices(self):
        picking = self._confirm(self._order(), self.holder_school)
        self._set_serials(picking, {self.laptop: ["SUDO-P1", "SUDO-P2"]})
        self.assertStepsRefused(picking, "button_validate", self._watch())

    def test_step_drops_system_defaults(self):
        """An attest requested, approved and received with the reviews' and
        the devices' system fields as defaults of the request's context: the
        records the steps create take none of them."""
        forged = {
            "default_status": "approved",
            "default_done_by": self.buyer.id,
            "default_reviewed_date": "2020-01-01 00:00:00",
            "default_it_activity_code_id": self.code_care.id,
        }
        order = self._order()
        order.with_user(self.buyer).with_context(**forged).request_validation()
        review = order.review_ids
        self.assertEqual(
            (review.status, review.done_by, review.reviewed_date),
            ("pending", self.env["res.users"], False),
        )
        self.assertEqual(review.it_activity_code_id, self.code_school)
        order.with_user(self.holder_school).validate_tier()
        order.with_user(self.buyer).button_confirm()
        picking = order.picking_ids
        self._set_serials(picking, {self.laptop: ["SUDO-P1", "SUDO-P2"]})
        picking.with_user(self.buyer).with_context(
            default_it_return_picking_id=picking.id,
            default_it_financing="lessor",
        ).button_validate()
        devices = self.env["maintenance.equipment"].search(
            [("it_purchase_id", "=", order.id)]
        )
        self.assertEqual(devices.mapped("serial_no"), ["SUDO-P1", "SUDO-P2"])
        self.assertEqual(
            [(d.it_financing, d.it_return_picking_id) for d in devices],
            [("bought", picking.browse())] * 2,
        )
