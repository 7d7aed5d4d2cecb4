# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ItPurchaseCommon

SET_DIRECTLY = "cannot be set directly"


@tagged("post_install", "-at_install")
class TestTierReviewGuard(ItPurchaseCommon):
    """Reviews are what the budget holders decided: only the validation's own
    steps (request, approve, reject, restart) create, write or delete them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An activity code of the buyer's own, to try and move a review to.
        cls.code_buyer = cls.env["account.analytic.account"].create(
            {
                "name": "Inköp",
                "code": "9100",
                "plan_id": cls.plan.id,
                "it_budget_holder_id": cls.buyer.id,
                "it_approval_limit": 100000,
            }
        )
        cls.holder_tier = cls.env.ref(
            "municipal_it_purchase.tier_definition_it_budget_holder"
        )

    def _requested(self, qty=1):
        order = self._create_order(
            [self._line(self.laptop, qty, 10000, self.code_school)]
        )
        order.with_user(self.buyer).request_validation()
        return order

    def test_buyer_cannot_forge_approved_reviews(self):
        # Delete the pending reviews, create approved ones in their place.
        order = self._requested(6)
        reviews = order.review_ids
        self.assertEqual(len(reviews), 2)
        with self.assertRaisesRegex(UserError, "restart the validation"):
            reviews.with_user(self.buyer).unlink()
        self.assertEqual(order.review_ids, reviews)
        Review = self.env["tier.review"].with_user(self.buyer)
        for review in reviews:
            with self.assertRaisesRegex(UserError, SET_DIRECTLY):
                Review.create(
                    {
                        "model": "purchase.order",
                        "res_id": order.id,
                        "definition_id": review.definition_id.id,
                        "it_activity_code_id": review.it_activity_code_id.id,
                        "status": "approved",
                        "done_by": self.env.ref("base.user_admin").id,
                        "reviewed_date": fields.Datetime.now(),
                    }
                )
        # Nor a waiting review of a code of the buyer's own on a draft order.
        draft = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        with self.assertRaisesRegex(UserError, SET_DIRECTLY):
            Review.create(
                {
                    "model": "purchase.order",
                    "res_id": draft.id,
                    "definition_id": self.holder_tier.id,
                    "it_activity_code_id": self.code_buyer.id,
                }
            )
        self.assertFalse(draft.review_ids)
        with self.assertRaisesRegex(UserError, "waiting for"):
            order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "draft")

    def test_context_default_is_no_approval(self):
        # A request sent with a default status in its context.
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).with_context(
            default_status="approved",
            default_done_by=self.holder_school.id,
            default_it_activity_code_id=self.code_buyer.id,
        ).request_validation()
        review = order.review_ids
        self.assertEqual(review.status, "pending")
        self.assertFalse(review.done_by)
        self.assertEqual(review.it_activity_code_id, self.code_school)
        self.assertEqual(order.validation_status, "pending")
        with self.assertRaises(UserError):
            order.with_user(self.buyer).button_confirm()

    def test_review_cannot_move_to_another_code(self):
        order = self._requested()
        review = order.review_ids
        with self.assertRaisesRegex(UserError, SET_DIRECTLY):
            review.with_user(self.buyer).write(
                {"it_activity_code_id": self.code_buyer.id}
            )
        for vals in (
            {"definition_id": self.next_level.id},
            {"res_id": self._create_order([]).id},
            {"model": "res.partner"},
            {"sequence": 7},
            {"reviewer_ids": [(6, 0, self.buyer.ids)]},
        ):
            with self.assertRaisesRegex(UserError, SET_DIRECTLY):
                review.with_user(self.buyer).write(vals)
        self.assertEqual(review.it_activity_code_id, self.code_school)
        self.assertEqual(review.reviewer_ids, self.holder_school | self.deputy_school)
        with self.assertRaisesRegex(UserError, "Inköpare Ida is not an approver"):
            order.with_user(self.buyer).validate_tier()
        # A value-equal write (a form saving what it read) passes.
        review.with_user(self.buyer).write(
            {"it_activity_code_id": self.code_school.id, "status": "pending"}
        )
        self.assertEqual(order.validation_status, "pending")

    def test_status_only_through_the_buttons(self):
        order = self._requested(6)
        school = order.review_ids.filtered("it_activity_code_id")
        manager = order.review_ids - school
        # Even its reviewer approves through the button (sequence, message,
        # activities), not by writing the review.
        with self.assertRaisesRegex(UserError, SET_DIRECTLY):
            school.with_user(self.holder_school).write({"status": "approved"})
        # Nor does the buyer wake a waiting review or cancel one.
        with self.assertRaisesRegex(UserError, SET_DIRECTLY):
            manager.with_user(self.buyer).write({"status": "cancel"})
        order.with_user(self.holder_school).validate_tier()
        order.with_user(self.it_manager).validate_tier()
        self.assertEqual(order.validation_status, "validated")

    def test_decision_cannot_be_rewritten(self):
        order = self._requested()
        order.with_user(self.holder_school).validate_tier()
        review = order.review_ids
        self.assertEqual(review.done_by, self.holder_school)
        for user in (self.buyer, self.holder_school):
            for vals in (
                {"done_by": self.deputy_school.id},
                {"reviewed_date": "2020-01-01 08:00:00"},
                {"requested_by": self.it_manager.id},
            ):
                with self.assertRaisesRegex(UserError, SET_DIRECTLY):
                    review.with_user(user).write(vals)
        with self.assertRaisesRegex(UserError, "restart the validation"):
            review.with_user(self.buyer).unlink()
        # Nor through the order, once confirmed.
        order.with_user(self.buyer).button_confirm()
        for command, message in (
            ((2, review.id), "restart the validation"),
            ((3, review.id), SET_DIRECTLY),
        ):
            with self.assertRaisesRegex(UserError, message):
                order.with_user(self.buyer).write({"review_ids": [command]})
        self.assertEqual(order.review_ids, review)
        self.assertEqual(review.done_by, self.holder_school)
        # Rejected reviews cannot be made pending again either.
        rejected = self._requested()
        rejected.with_user(self.holder_school).reject_tier()
        with self.assertRaisesRegex(UserError, SET_DIRECTLY):
            rejected.review_ids.with_user(self.buyer).write({"status": "pending"})
        self.assertEqual(rejected.validation_status, "rejected")

    def test_validation_steps_still_work(self):
        # Restart by the button, request again, approve and confirm.
        order = self._requested()
        order.with_user(self.buyer).restart_validation()
        self.assertFalse(order.review_ids)
        self._confirm(order, self.holder_school)
        # Cancelled and set back to draft: the reviews go, approval again.
        order.with_user(self.buyer).button_cancel()
        order.with_user(self.buyer).button_draft()
        self.assertFalse(order.review_ids)
        self.assertEqual(order.validation_status, "no")
        self._approve(order, self.holder_school)
        # Rejected, then restarted and approved by the deputy.
        rejected = self._requested()
        rejected.with_user(self.holder_school).reject_tier()
        rejected.with_user(self.buyer).restart_validation()
        self._approve(rejected, self.deputy_school)
        # A cancelled order loses its reviews, and can be deleted.
        deleted = self._requested()
        reviews = deleted.review_ids
        deleted.with_user(self.buyer).button_cancel()
        self.assertFalse(reviews.exists())
        deleted.with_user(self.buyer).unlink()

    def test_comment_wizard_approves(self):
        # A tier asking for a comment goes through OCA's comment wizard.
        self.holder_tier.has_comment = True
        order = self._requested()
        action = order.with_user(self.holder_school).validate_tier()
        wizard = (
            self.env["comment.wizard"]
            .with_user(self.holder_school)
            .with_context(**action["context"])
            .create({"comment": "Budget finns"})
        )
        wizard.add_comment()
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(order.review_ids.comment, "Budget finns")
        self.assertEqual(order.review_ids.done_by, self.holder_school)


@tagged("post_install", "-at_install")
class TestFinancingGuard(ItPurchaseCommon):
    def _financed_order(self, qty=2):
        return self._create_order(
            [
                self._line(
                    self.laptop,
                    qty,
                    12000,
                    self.code_school,
                    it_financing="lessor",
                    it_lessor_id=self.lessor.id,
                )
            ]
        )

    def test_financing_fixed_once_received(self):
        order = self._financed_order()
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: ["FG-1", "FG-2"]})
        line = order.order_line
        self.assertEqual(line.qty_received, 2)
        with self.assertRaisesRegex(UserError, "cannot change once the order"):
            line.with_user(self.buyer).write({"it_financing": "bought"})
        # Nor through the order.
        with self.assertRaisesRegex(UserError, "cannot change once the order"):
            order.with_user(self.buyer).write(
                {"order_line": [(1, line.id, {"it_financing": "bought"})]}
            )
        # Billed neither by the vendor nor twice: still nothing to bill.
        self.assertEqual(line.it_financing, "lessor")
        self.assertEqual(line.qty_to_invoice, 0)
        self.assertEqual(order.invoice_status, "no")
        # A value-equal write passes.
        line.with_user(self.buyer).write(
            {"it_financing": "lessor", "it_lessor_id": self.lessor.id}
        )

    def test_financing_fixed_once_confirmed(self):
        other_lessor = self.env["res.partner"].create(
            {"name": "Annan Finans AB", "is_company": True}
        )
        order = self._financed_order()
        self._confirm(order, self.holder_school)
        line = order.order_line
        with self.assertRaisesRegex(UserError, "cannot change once the order"):
            line.with_user(self.buyer).write({"it_lessor_id": other_lessor.id})
        self.assertEqual(line.it_lessor_id, self.lessor)

    def test_financing_free_before_confirmation(self):
        order = self._financed_order(1)
        line = order.order_line
        line.with_user(self.buyer).write({"it_financing": "bought"})
        self.assertEqual(line.it_financing, "bought")
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: ["FB-1"]})
        self.assertEqual(line.qty_to_invoice, 1)
        self.assertEqual(order.invoice_status, "to invoice")
        order.action_create_invoice()
        self.assertAlmostEqual(order.invoice_ids.amount_untaxed, 12000.0)


@tagged("post_install", "-at_install")
class TestDeviceGuard(ItPurchaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.it_user = new_test_user(
            cls.env,
            login="it_register_user",
            groups="municipal_it_lease.municipal_it_lease_group_user",
        )

    def _received_device(self, serial):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: [serial]})
        device = self.env["maintenance.equipment"].search(
            [("it_purchase_id", "=", order.id)]
        )
        self.assertEqual(len(device), 1)
        return order, picking, device

    def _return(self, picking, device):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        return_picking = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        return_picking.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": return_picking.move_ids.id,
                "picking_id": return_picking.id,
                "product_id": self.laptop.id,
                "product_uom_id": self.laptop.uom_id.id,
                "location_id": return_picking.location_id.id,
                "location_dest_id": return_picking.location_dest_id.id,
                "lot_id": device.lot_id.id,
                "quantity": 1,
            }
        )
        return_picking.move_ids.picked = True
        return self._validate(return_picking)

    def test_purchase_links_fixed(self):
        order, picking, device = self._received_device("DG-1")
        other = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        device = device.with_user(self.it_user)
        for vals in (
            {"it_financing": "lessor"},
            {"it_purchase_id": other.id},
            {"it_purchase_line_id": other.order_line.id},
            {"it_purchase_id": False},
            {"it_receipt_picking_id": False},
            {"it_receipt_date": "2020-01-01"},
            {"it_return_picking_id": picking.id},
        ):
            with self.assertRaisesRegex(UserError, SET_DIRECTLY):
                device.write(vals)
        self.assertEqual(device.it_purchase_id, order)
        self.assertEqual(device.it_financing, "bought")
        # What the IT staff keep up to date stays editable.
        device.write({"it_mac_address": "00:1A:2B:3C:4D:99", "it_imei": "3569"})
        self.assertEqual(device.it_mac_address, "00:1A:2B:3C:4D:99")
        # A value-equal write passes.
        device.write({"it_purchase_id": order.id, "it_financing": "bought"})

    def test_device_not_created_with_purchase_links(self):
        order, picking, _device = self._received_device("DG-2")
        Equipment = self.env["maintenance.equipment"].with_user(self.it_user)
        with self.assertRaisesRegex(UserError, SET_DIRECTLY):
            Equipment.create(
                {
                    "name": "Extra dator",
                    "serial_no": "DG-X",
                    "it_purchase_id": order.id,
                    "it_financing": "lessor",
                }
            )
        # Nor through context defaults.
        device = Equipment.with_context(
            default_it_purchase_id=order.id, default_it_receipt_picking_id=picking.id
        ).create({"name": "Extra dator", "serial_no": "DG-Y"})
        self.assertFalse(device.it_purchase_id)
        self.assertFalse(device.it_receipt_picking_id)
        self.assertEqual(order.it_device_count, 1)

    def test_returned_to_vendor_stays_returned(self):
        order, picking, device = self._received_device("DG-3")
        return_picking = self._return(picking, device)
        self.assertEqual(device.lifecycle_state, "returned")
        self.assertEqual(device.it_return_picking_id, return_picking)
        with self.assertRaisesRegex(UserError, "returned to the vendor"):
            device.with_user(self.it_user).write({"lifecycle_state": "in_stock"})
        with self.assertRaisesRegex(UserError, SET_DIRECTLY):
            device.with_user(self.it_user).write({"it_return_picking_id": False})
        # A receipt of its serial brings it back.
        order.order_line.with_user(self.buyer).product_qty = 2
        again = order.picking_ids.filtered(lambda p: p.state == "assigned")
        self._receive(again, {self.laptop: ["DG-3"]})
        self.assertEqual(device.lifecycle_state, "in_stock")
        self.assertFalse(device.it_return_picking_id)
        self.assertEqual(device.it_receipt_picking_id, again)
        device.with_user(self.it_user).write({"lifecycle_state": "in_repair"})
