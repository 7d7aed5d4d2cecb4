# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attest controls an auditor tests first (issue 25): the attest follows
the amount, nobody approves their own order, the addon's tier rules stay on
IT purchase orders, and a purchase order's reviews stay in its company."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ItPurchaseCommon

SET_DIRECTLY = "cannot be set directly"


@tagged("post_install", "-at_install")
class TestAttestFollowsAmount(ItPurchaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A vendor price recorded by another order: Odoo would re-price the
        # laptop line to it when its quantity changes.
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.reseller.id,
                "product_tmpl_id": cls.laptop.product_tmpl_id.id,
                "price": 12500,
            }
        )

    def _approved_confirmed(self, qty=2, price=13100, code=None, **values):
        order = self._create_order(
            [self._line(self.laptop, qty, price, code or self.code_school, **values)]
        )
        picking = self._confirm(order, self.holder_school)
        return order, picking

    def _open_codes(self, order):
        return order.review_ids.filtered(
            lambda r: r.status in ("waiting", "pending")
        ).it_activity_code_id

    def test_quantity_raised_after_confirmation(self):
        # 2 × 13,100.00 = 26,200.00, within the school holder's 50,000.00.
        order, picking = self._approved_confirmed()
        line = order.order_line
        self.assertEqual(order.it_approved_amount, 26200.0)
        self.assertEqual(order.it_approved_by_ids, self.holder_school)
        self.assertTrue(order.it_approved_date)
        self.assertEqual(line.it_approved_qty, 2)
        self.assertEqual(line.it_approved_price_unit, 13100.0)
        # The buyer raises the quantity to 5, as over JSON-RPC.
        order.with_user(self.buyer).write(
            {"order_line": [Command.update(line.id, {"product_qty": 5})]}
        )
        # The approved price is kept (not the vendor's 12,500.00): 5 × 13,100.00
        # = 65,500.00, above the limit: the holder and the next level again.
        self.assertEqual(line.price_unit, 13100.0)
        self.assertEqual(order.amount_untaxed, 65500.0)
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(self._open_codes(order), self.code_school)
        self.assertEqual(
            order.it_approver_ids,
            self.deputy_school | self.holder_school | self.it_manager,
        )
        self.assertTrue(
            order.message_ids.filtered(lambda m: "Attest re-opened" in (m.body or ""))
        )
        # What was approved stays shown beside what it is now.
        self.assertEqual(order.it_approved_amount, 26200.0)
        self.assertEqual(line.it_approved_qty, 2)
        # The receipt of 5 waits for the attest.
        self.assertEqual(picking.move_ids.product_uom_qty, 5)
        serials = [f"AT-{n}" for n in range(1, 6)]
        with self.assertRaisesRegex(ValidationError, "only 2.0 are approved"):
            self._receive(picking, {self.laptop: serials})
        self.assertFalse(order.it_device_ids)
        # Approved by the holder and the IT manager: received.
        order.with_user(self.holder_school).validate_tier()
        order.with_user(self.it_manager).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(order.it_approved_amount, 65500.0)
        self.assertEqual(line.it_approved_qty, 5)
        self._receive(picking, {self.laptop: serials})
        self.assertEqual(picking.state, "done")
        self.assertEqual(line.qty_received, 5)
        self.assertEqual(
            self.env["maintenance.equipment"].search_count(
                [("it_purchase_id", "=", order.id)]
            ),
            5,
        )

    def test_receipt_within_approved_quantity_goes_on(self):
        order, picking = self._approved_confirmed()
        order.order_line.with_user(self.buyer).product_qty = 3
        self.assertEqual(order.validation_status, "pending")
        # The 2 approved are received; the third waits in a backorder.
        self._set_serials(picking, {self.laptop: ["AW-1", "AW-2"]})
        self._validate(picking)
        self.assertEqual(order.order_line.qty_received, 2)
        backorder = order.picking_ids.filtered(lambda p: p.state == "assigned")
        with self.assertRaisesRegex(ValidationError, "only 2.0 are approved"):
            self._receive(backorder, {self.laptop: ["AW-3"]})

    def test_lowering_is_logged_not_reopened(self):
        order, _picking = self._approved_confirmed(qty=3)
        order.with_user(self.buyer).write(
            {"order_line": [Command.update(order.order_line.id, {"product_qty": 1})]}
        )
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(order.amount_untaxed, 13100.0)
        message = order.message_ids.filtered(
            lambda m: "Amount lowered" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertIn("39,300.00", message.body)
        self.assertIn("13,100.00", message.body)
        # Raised again within what was approved (3): no new attest.
        order.order_line.with_user(self.buyer).product_qty = 3
        self.assertEqual(order.validation_status, "validated")
        # One more than approved: attest again.
        order.order_line.with_user(self.buyer).product_qty = 4
        self.assertEqual(order.validation_status, "pending")

    def test_price_raised_and_discount_removed_before_confirmation(self):
        order = self._create_order(
            [self._line(self.laptop, 2, 10000, self.code_school, discount=10)]
        )
        self._approve(order, self.holder_school)
        self.assertEqual(order.it_approved_amount, 18000.0)
        order.order_line.with_user(self.buyer).discount = 0
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRegex(UserError, "waiting for"):
            order.with_user(self.buyer).button_confirm()
        order.with_user(self.deputy_school).validate_tier()
        self.assertEqual(order.it_approved_amount, 20000.0)
        order.order_line.with_user(self.buyer).price_unit = 10001
        self.assertEqual(order.validation_status, "pending")

    def test_it_line_added_to_confirmed_order_without_it_line(self):
        service = self.env["product.product"].create(
            {"name": "Konsulttimme", "type": "service", "purchase_ok": True}
        )
        order = self._create_order(
            [
                Command.create(
                    {"product_id": service.id, "product_qty": 1, "price_unit": 900}
                )
            ]
        )
        order.with_user(self.buyer).button_confirm()
        self.assertFalse(order.it_is_it_order)
        # 50 devices of 20,000.00 (1,000,000.00) added by the buyer.
        order.with_user(self.buyer).write(
            {"order_line": [self._line(self.laptop, 50, 20000, self.code_school)]}
        )
        self.assertTrue(order.it_is_it_order)
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(self._open_codes(order), self.code_school)
        self.assertIn(self.it_manager, order.it_approver_ids)
        picking = order.picking_ids.filtered(lambda p: p.state == "assigned")
        with self.assertRaisesRegex(ValidationError, "only 0.0 are approved"):
            self._receive(picking, {self.laptop: ["AD-1"]})

    def test_line_moved_to_another_code(self):
        order, _picking = self._approved_confirmed(qty=1, price=5000)
        order.order_line.with_user(self.buyer).analytic_distribution = {
            str(self.code_care.id): 100
        }
        # Only the code concerned (care, 5,000.00 within its 10,000.00) is
        # attested again, by its own holder.
        self.assertEqual(order.validation_status, "pending")
        self.assertEqual(order.review_ids.it_activity_code_id, self.code_care)
        self.assertEqual(order.it_approver_ids, self.holder_care)
        with self.assertRaisesRegex(UserError, "Rektor Rut is not an approver"):
            order.with_user(self.holder_school).validate_tier()
        order.with_user(self.holder_care).validate_tier()
        self.assertEqual(order.validation_status, "validated")

    def test_attest_record_cannot_be_forged(self):
        order, _picking = self._approved_confirmed()
        line = order.order_line
        for vals in ({"it_approved_qty": 50}, {"it_approved_price_unit": 1}):
            with self.assertRaisesRegex(UserError, SET_DIRECTLY):
                line.with_user(self.buyer).write(vals)
        for vals in (
            {"it_approved_amount": 1e6},
            {"it_attest_amounts": {str(self.code_school.id): 1e6}},
            {"it_approved_by_ids": [Command.set(self.buyer.ids)]},
        ):
            with self.assertRaisesRegex(UserError, SET_DIRECTLY):
                order.with_user(self.buyer).write(vals)
        # Nor by a new line created with an approved quantity.
        with self.assertRaisesRegex(UserError, SET_DIRECTLY):
            self.env["purchase.order.line"].with_user(self.buyer).create(
                {
                    "order_id": order.id,
                    "product_id": self.laptop.id,
                    "product_qty": 9,
                    "price_unit": 1,
                    "analytic_distribution": {str(self.code_school.id): 100},
                    "it_approved_qty": 9,
                }
            )
        self.assertEqual(line.it_approved_qty, 2)


@tagged("post_install", "-at_install")
class TestNoSelfAttest(ItPurchaseCommon):
    def _own_order(self, holder, code, qty=1):
        order = (
            self.env["purchase.order"]
            .with_user(holder)
            .create(
                {
                    "partner_id": self.reseller.id,
                    "order_line": [self._line(self.laptop, qty, 10000, code)],
                }
            )
        )
        order.with_user(holder).request_validation()
        return order

    def test_holder_cannot_approve_own_order_deputy_does(self):
        order = self._own_order(self.holder_school, self.code_school)
        review = order.review_ids
        self.assertEqual(review.reviewer_ids, self.deputy_school)
        self.assertEqual(order.it_approver_ids, self.deputy_school)
        with self.assertRaisesRegex(AccessError, "nobody approves their own"):
            order.with_user(self.holder_school).validate_tier()
        # Nor by writing the review over JSON-RPC.
        with self.assertRaises(UserError):
            review.with_user(self.holder_school).write({"status": "approved"})
        self.assertEqual(order.validation_status, "pending")
        order.with_user(self.deputy_school).validate_tier()
        self.assertEqual(order.validation_status, "validated")
        self.assertEqual(order.it_approved_by_ids, self.deputy_school)

    def test_holder_without_deputy_goes_to_next_level(self):
        # Care has no deputy: the IT manager (next level) approves instead.
        order = self._own_order(self.holder_care, self.code_care)
        self.assertEqual(order.review_ids.reviewer_ids, self.it_manager)
        self.assertFalse(order.review_ids.it_activity_code_id)
        with self.assertRaisesRegex(AccessError, "nobody approves their own"):
            order.with_user(self.holder_care).validate_tier()
        order.with_user(self.it_manager).validate_tier()
        self.assertEqual(order.validation_status, "validated")

    def test_comment_wizard_is_no_way_around(self):
        self.env.ref(
            "municipal_it_purchase.tier_definition_it_budget_holder"
        ).has_comment = True
        order = self._own_order(self.holder_school, self.code_school)
        wizard = (
            self.env["comment.wizard"]
            .with_user(self.holder_school)
            .create(
                {
                    "res_model": "purchase.order",
                    "res_id": order.id,
                    "review_ids": [Command.set(order.review_ids.ids)],
                    "validate_reject": "validate",
                    "comment": "Min egen",
                }
            )
        )
        # Not a reviewer of her own order: the wizard approves nothing.
        wizard.add_comment()
        self.assertEqual(order.validation_status, "pending")
        self.assertFalse(order.review_ids.done_by)

    def test_representative_cannot_approve(self):
        # The buyer put the deputy as the order's purchase representative:
        # the deputy cannot approve it, the holder does.
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).user_id = self.deputy_school
        order.with_user(self.buyer).request_validation()
        self.assertEqual(order.review_ids.reviewer_ids, self.holder_school)
        with self.assertRaisesRegex(AccessError, "nobody approves their own"):
            order.with_user(self.deputy_school).validate_tier()
        order.with_user(self.holder_school).validate_tier()
        self.assertEqual(order.validation_status, "validated")


@tagged("post_install", "-at_install")
class TestTierScopeAndCompany(ItPurchaseCommon):
    def test_other_models_keep_oca_behaviour(self):
        # A tier of another model: reviews written and deleted as OCA allows,
        # none of this addon's guards.
        partner = self.env["res.partner"].create({"name": "Leverantör"})
        definition = self.env["tier.definition"].create(
            {
                "name": "Partner check",
                "model_id": self.env.ref("base.model_res_partner").id,
                "review_type": "individual",
                "reviewer_id": self.outsider.id,
            }
        )
        Review = self.env["tier.review"].with_user(self.buyer)
        review = Review.create(
            {
                "model": "res.partner",
                "res_id": partner.id,
                "definition_id": definition.id,
                "status": "pending",
            }
        )
        review.write({"status": "approved", "done_by": self.buyer.id})
        self.assertEqual(review.status, "approved")
        review.unlink()
        self.assertFalse(review.exists())

    def test_reviews_stay_in_their_company(self):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).request_validation()
        review = order.review_ids
        self.assertEqual(review.company_id, self.company)
        company_b = self.env["res.company"].create({"name": "Grannkommunen"})
        user_b = new_test_user(
            self.env,
            login="buyer_b",
            groups="purchase.group_purchase_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        Review = self.env["tier.review"].with_user(user_b)
        self.assertFalse(Review.search([("res_id", "=", order.id)]))
        with self.assertRaises(AccessError):
            review.with_user(user_b).read(["status"])
        with self.assertRaises(AccessError):
            review.with_user(user_b).write({"comment": "Hej"})
        # The holder of the order's company reads it.
        self.assertEqual(
            self.env["tier.review"]
            .with_user(self.holder_school)
            .search([("res_id", "=", order.id), ("model", "=", "purchase.order")]),
            review,
        )

    def test_portal_reads_no_review(self):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).request_validation()
        portal = new_test_user(
            self.env, login="lessor_portal", groups="base.group_portal"
        )
        Review = self.env["tier.review"].with_user(portal)
        self.assertEqual(Review.search_count([]), 0)
        with self.assertRaises(AccessError):
            order.review_ids.with_user(portal).read(["status"])
        # Nor the approval rules: who approves which amounts.
        definitions = order.review_ids.definition_id
        self.assertTrue(definitions)
        self.assertEqual(
            self.env["tier.definition"].with_user(portal).search_count([]), 0
        )
        with self.assertRaises(AccessError):
            definitions.with_user(portal).read(["name"])
