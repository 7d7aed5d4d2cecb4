# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ItPurchaseCommon

APPROVAL = "municipal_it_purchase.mail_activity_type_it_po_approval"


@tagged("post_install", "-at_install")
class TestApproval(ItPurchaseCommon):
    def _approval_activities(self, order):
        return order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL)
        )

    def test_below_limit_holder_approves(self):
        # 4 laptops × 10,000 = 40,000 on the school code, whose limit is 50,000:
        # the budget holder (or deputy) approves alone.
        order = self._create_order(
            [self._line(self.laptop, 4, 10000, self.code_school)]
        )
        self.assertTrue(order.it_is_it_order)
        self.assertFalse(order.it_above_approval_limit)
        order.with_user(self.buyer).request_validation()
        self.assertEqual(len(order.review_ids), 1)
        review = order.review_ids
        self.assertEqual(review.it_activity_code_id, self.code_school)
        self.assertEqual(review.reviewer_ids, self.holder_school | self.deputy_school)
        # Both may approve: each gets an activity.
        self.assertEqual(
            self._approval_activities(order).user_id,
            self.holder_school | self.deputy_school,
        )
        # No confirmation, hence no receipt, before the approval.
        with self.assertRaisesRegex(UserError, "waiting for"):
            order.with_user(self.buyer).button_confirm()
        self.assertFalse(order.picking_ids)
        self.assertEqual(order.state, "draft")

        order.with_user(self.holder_school).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(review.done_by, self.holder_school)
        self.assertTrue(review.reviewed_date)
        self.assertFalse(self._approval_activities(order))
        message = order.message_ids.filtered(
            lambda m: "Approved by Rektor Rut" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.holder_school.partner_id)
        self.assertIn("3200", message.body)

        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(len(order.picking_ids), 1)

    def test_deputy_approves(self):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).request_validation()
        order.with_user(self.deputy_school).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(order.review_ids.done_by, self.deputy_school)

    def test_above_limit_next_level(self):
        # 6 × 10,000 = 60,000 > 50,000: the school's holder and the IT manager.
        order = self._create_order(
            [self._line(self.laptop, 6, 10000, self.code_school)]
        )
        self.assertTrue(order.it_above_approval_limit)
        order.with_user(self.buyer).request_validation()
        self.assertEqual(len(order.review_ids), 2)
        self.assertEqual(
            order.review_ids.reviewer_ids,
            self.holder_school | self.deputy_school | self.it_manager,
        )
        order.with_user(self.holder_school).validate_tier()
        self.assertEqual(order.validation_status, "pending")
        with self.assertRaisesRegex(UserError, "IT-chef Ivar"):
            order.with_user(self.buyer).button_confirm()
        order.with_user(self.it_manager).validate_tier()
        self.assertEqual(order.validation_status, "validated")

    def test_limit_is_per_code_amount(self):
        # 50,000 exactly on the school code is within its limit (not above);
        # 10,001 on care exceeds care's 10,000.
        order = self._create_order(
            [self._line(self.laptop, 5, 10000, self.code_school)]
        )
        self.assertFalse(order.it_above_approval_limit)
        order = self._create_order([self._line(self.laptop, 1, 10001, self.code_care)])
        self.assertTrue(order.it_above_approval_limit)

    def test_each_code_its_holder(self):
        # 10,000 on school, 5,000 on care: one review per code, each holder
        # approves only their own.
        order = self._create_order(
            [
                self._line(self.laptop, 1, 10000, self.code_school),
                self._line(self.monitor, 2, 2500, self.code_care),
            ]
        )
        order.with_user(self.buyer).request_validation()
        self.assertEqual(
            order.review_ids.it_activity_code_id, self.code_school | self.code_care
        )
        order.with_user(self.holder_care).validate_tier()
        care = order.review_ids.filtered(
            lambda r: r.it_activity_code_id == self.code_care
        )
        school = order.review_ids - care
        self.assertEqual(care.status, "approved")
        self.assertEqual(school.status, "pending")
        self.assertEqual(self._approval_activities(order).user_id, school.reviewer_ids)
        order.with_user(self.holder_school).validate_tier()
        self.assertEqual(order.validation_status, "validated")

    def test_non_approver_refused(self):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).request_validation()
        with self.assertRaisesRegex(UserError, "Obehörig Olle is not an approver"):
            order.with_user(self.outsider).validate_tier()
        with self.assertRaisesRegex(UserError, "Obehörig Olle is not an approver"):
            order.with_user(self.outsider).reject_tier()
        # Nor through the review itself.
        with self.assertRaisesRegex(AccessError, "Rektor Rut"):
            order.review_ids.with_user(self.outsider).write({"status": "approved"})
        self.assertEqual(order.validation_status, "pending")

    def test_reject(self):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).request_validation()
        order.with_user(self.holder_school).reject_tier()
        self.assertEqual(order.validation_status, "rejected")
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: "Rejected by Rektor Rut" in (m.body or "")
            )
        )
        with self.assertRaisesRegex(UserError, "rejected"):
            order.with_user(self.buyer).button_confirm()

    def test_edit_after_approval_reopens(self):
        # Issue 25: a raise re-opens the attest at once (the reviews are asked
        # again, no new request needed); a lowering is logged and kept.
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        self._approve(order, self.holder_school)
        # The buyer raises the quantity: the approval is open again.
        order.with_user(self.buyer).write(
            {"order_line": [(1, order.order_line.id, {"product_qty": 3})]}
        )
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(order.review_ids.status, "pending")
        self.assertTrue(
            order.message_ids.filtered(lambda m: "Attest re-opened" in (m.body or ""))
        )
        with self.assertRaisesRegex(UserError, "waiting for"):
            order.with_user(self.buyer).button_confirm()
        # A line written directly, lowering its price: logged, still approved.
        order.with_user(self.holder_school).validate_tier()
        order.order_line.with_user(self.buyer).price_unit = 9000
        self.assertEqual(order.validation_status, "validated")
        self.assertTrue(
            order.message_ids.filtered(lambda m: "Amount lowered" in (m.body or ""))
        )
        # A new line within what was approved (3 × 9,000 + 2,000 = 29,000.00
        # of the 30,000.00 approved) needs no new attest; one more above does.
        order.with_user(self.buyer).write(
            {"order_line": [self._line(self.monitor, 1, 2000, self.code_school)]}
        )
        self.assertEqual(order.validation_status, "validated")
        order.with_user(self.buyer).write(
            {"order_line": [self._line(self.monitor, 1, 1001, self.code_school)]}
        )
        self.assertEqual(order.validation_status, "pending")
        # And the state cannot be forced past the approval.
        with self.assertRaises(UserError):
            order.with_user(self.buyer).write({"state": "purchase"})

    def test_no_next_level_configured(self):
        self.next_level.active = False
        order = self._create_order(
            [self._line(self.laptop, 6, 10000, self.code_school)]
        )
        with self.assertRaisesRegex(UserError, "no next approval level"):
            order.with_user(self.buyer).request_validation()

    def test_activity_code_required(self):
        with self.assertRaisesRegex(ValidationError, "needs an activity code"):
            self.env["purchase.order"].create(
                {
                    "partner_id": self.reseller.id,
                    "order_line": [
                        (0, 0, {"product_id": self.laptop.id, "product_qty": 1})
                    ],
                }
            )

    def test_code_without_holder(self):
        self.code_care.it_budget_holder_id = False
        order = self._create_order([self._line(self.laptop, 1, 100, self.code_care)])
        with self.assertRaisesRegex(ValidationError, "has no budget holder"):
            order.with_user(self.buyer).request_validation()

    def test_non_it_order_untouched(self):
        service = self.env["product.product"].create(
            {"name": "Konsulttimme", "type": "service", "purchase_ok": True}
        )
        order = self._create_order(
            [(0, 0, {"product_id": service.id, "product_qty": 1, "price_unit": 900})]
        )
        self.assertFalse(order.it_is_it_order)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_next_level_is_per_company(self):
        # The IT manager is the next level of the first company only: an order
        # of the second company above its code's limit has no next level.
        company_b = self.env["res.company"].create({"name": "Grannkommunen"})
        company_b.it_activity_code_plan_id = self.plan
        code_b = self.env["account.analytic.account"].create(
            {
                "name": "Skola B",
                "code": "B3200",
                "plan_id": self.plan.id,
                "company_id": company_b.id,
                "it_budget_holder_id": self.holder_school.id,
                "it_approval_limit": 1000,
            }
        )
        (self.buyer | self.holder_school).write({"company_ids": [(4, company_b.id)]})
        order = (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.reseller.id,
                    "company_id": company_b.id,
                    "order_line": [self._line(self.laptop, 1, 5000, code_b)],
                }
            )
        )
        self.assertTrue(order.it_above_approval_limit)
        with self.assertRaisesRegex(UserError, "Grannkommunen has no next approval"):
            order.with_user(self.buyer).with_company(company_b).request_validation()
        # Within the limit, the holder approves alone in that company too.
        order.order_line.price_unit = 900
        order.with_user(self.buyer).with_company(company_b).request_validation()
        self.assertEqual(order.review_ids.it_activity_code_id, code_b)
        order.with_user(self.holder_school).with_company(company_b).validate_tier()
        self.assertEqual(order.validation_status, "validated")
