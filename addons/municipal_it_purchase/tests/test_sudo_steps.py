# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA's steps of the attest (request, validate, reject, restart, delete) and
the receipt that registers the devices run with sudo(): each keeps the
user's rights (another company's buyer, an internal user without Purchase
and a portal user are refused before anything is written) and the state
that allows it."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.test_sudo_steps import SudoStepsMixin

from .common import ItPurchaseCommon

BUYER = "purchase.group_purchase_user,stock.group_stock_user"


@tagged("post_install", "-at_install")
class TestPurchaseSudoSteps(SudoStepsMixin, ItPurchaseCommon):
    _prefix = "sudo_purchase"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Grannkommunen"})
        cls.attackers = cls._attackers(cls.company, cls.company_b, BUYER)

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
        self.assertEveryoneRefused(
            lambda user: order.with_user(user).request_validation(), self._watch()
        )
        order.with_user(self.buyer).request_validation()
        self.assertEqual(order.review_ids.status, "pending")
        self.assertEveryoneRefused(
            lambda user: order.with_user(user).restart_validation(), self._watch()
        )

    def test_validate_and_reject(self):
        order = self._order()
        # Nothing to decide before the attest is requested.
        self.assertRefusedUnwritten(
            lambda: order.with_user(self.holder_school).validate_tier(),
            self._watch(),
            UserError,
        )
        order.with_user(self.buyer).request_validation()
        for method in ("validate_tier", "reject_tier"):
            with self.subTest(method=method):
                self.assertEveryoneRefused(
                    lambda user, m=method: getattr(order.with_user(user), m)(),
                    self._watch(),
                )
                # A buyer of the company who is no approver, and the order's
                # own buyer.
                for user in (self.outsider, self.buyer):
                    self.assertRefusedUnwritten(
                        lambda m=method, u=user: getattr(order.with_user(u), m)(),
                        self._watch(),
                    )
        order.with_user(self.holder_school).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        # Decided: the deputy has nothing left to approve or reject.
        for method in ("validate_tier", "reject_tier"):
            with self.subTest(method=method, state="validated"):
                self.assertRefusedUnwritten(
                    lambda m=method: getattr(order.with_user(self.deputy_school), m)(),
                    self._watch(),
                    UserError,
                )

    def test_delete_order(self):
        order = self._order()
        order.with_user(self.buyer).request_validation()
        self.assertEveryoneRefused(
            lambda user: order.with_user(user).unlink(), self._watch()
        )
        self._confirm(self._order(), self.holder_school)
        confirmed = self.env["purchase.order"].search(
            [("state", "=", "purchase")], limit=1
        )
        # A confirmed order is not deleted, nor are its reviews: Odoo refuses
        # the order after the step removed its reviews, which the refusal
        # rolls back with the request.
        reviews = confirmed.review_ids
        # (Odoo's assertRaises rolls back to a savepoint, as the request.)
        with self.assertRaises(UserError) as caught:
            confirmed.with_user(self.buyer).unlink()
        self.assertIn("cancel it first", str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(
            (confirmed.exists().state, reviews.exists().mapped("status")),
            ("purchase", ["approved"]),
        )

    def test_receipt_registers_devices(self):
        picking = self._confirm(self._order(), self.holder_school)
        self._set_serials(picking, {self.laptop: ["SUDO-P1", "SUDO-P2"]})
        self.assertEveryoneRefused(
            lambda user: picking.with_user(user).button_validate(), self._watch()
        )

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
