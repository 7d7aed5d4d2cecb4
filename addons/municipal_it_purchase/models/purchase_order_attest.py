# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.activity import schedule_activity
from odoo.addons.municipal_it_lease.tools.chatter import log_note

from ..tools.steps import ReopenedCodes, reopened_codes

APPROVAL_ACTIVITY = "municipal_it_purchase.mail_activity_type_it_po_approval"


class PurchaseOrder(models.Model):
    """The attest of an IT order: OCA's tier validation, one review per
    activity code, that follows the amount.

    OCA's steps (request, validate, reject, restart, the reset of a cancelled
    order) write the reviews, which only they may (see ``tier.review``): each
    step checks its user first (the right to change the order, or to decide
    its reviews) and then runs with ``sudo()``. Only purchase orders are
    wrapped so: every other model keeps OCA's tier validation as it is."""

    _inherit = "purchase.order"

    def evaluate_tier(self, tier):
        if tier.review_type == "it_budget_holder" and not self.it_is_it_order:
            return self.browse()
        if tier.it_next_level and not (
            self.it_is_it_order and self._it_needs_next_level()
        ):
            return self.browse()
        return super().evaluate_tier(tier)

    def _it_attest_codes(self):
        """{activity code: amount} of the codes a request covers: all the
        order's codes, or only those re-opened by a change of the amount."""
        self.ensure_one()
        amounts = self._get_it_activity_code_amounts()
        reopened = reopened_codes(self.env)
        if reopened is not None:
            amounts = {c: a for c, a in amounts.items() if c.id in reopened}
        return amounts

    def _it_needs_next_level(self):
        """The next level approves when an activity code (of those the
        request covers) is above its limit, or has nobody left to approve
        but the order's own buyer (no self-attest)."""
        self.ensure_one()
        excluded = self._get_it_self_attest_users()
        return any(
            amount > code.it_approval_limit
            or (code._get_it_approvers() and not code._get_it_approvers() - excluded)
            for code, amount in self._it_attest_codes().items()
        )

    def request_validation(self):
        self.check_access("write")
        for order in self.filtered("it_is_it_order"):
            order._check_it_next_level_configured()
        # The caller gets the reviews in its own environment.
        reviews = (
            super(PurchaseOrder, self.sudo()).request_validation().with_env(self.env)
        )
        # What the attest covers: a later change is compared with it.
        for order in self.filtered(lambda o: o.it_is_it_order and o.review_ids):
            order._it_write_attest(
                {
                    "it_attest_amounts": order._it_amounts_json(
                        order._get_it_activity_code_amounts()
                    )
                }
            )
        self._it_sync_approval_activities()
        return reviews

    @api.model
    def _it_amounts_json(self, amounts):
        return {str(code.id): amount for code, amount in amounts.items()}

    def _it_write_attest(self, vals):
        """Write the attest's own fields (only the validation's steps do)."""
        return self.sudo().with_context(tracking_disable=True).write(vals)

    def _check_it_next_level_configured(self):
        self.ensure_one()
        if not self._it_needs_next_level():
            return
        next_level = self.env["tier.definition"].search_count(
            [
                ("model", "=", self._name),
                ("it_next_level", "=", True),
                ("company_id", "in", [False, self.company_id.id]),
            ]
        )
        if not next_level:
            raise UserError(
                self.env._(
                    "%(order)s exceeds the approval limit of an activity code, but "
                    "company %(company)s has no next approval level: create a tier "
                    "definition for purchase orders marked 'Above Budget Holder "
                    "Limits'.",
                    order=self.display_name,
                    company=self.company_id.name,
                )
            )

    def validate_tier(self):
        self._check_it_can_review()
        return super().validate_tier()

    def reject_tier(self):
        self._check_it_can_review()
        return super().reject_tier()

    def _check_it_can_review(self):
        """Refuse, with a message, a user who has no review to do on the order
        (OCA's tier validation would silently do nothing), and whoever would
        approve their own order."""
        for order in self:
            if not order._get_sequences_to_approve(self.env.user):
                codes = order._get_it_activity_code_amounts()
                if order.it_is_it_order and any(
                    self.env.user in code._get_it_approvers() for code in codes
                ):
                    self.env["tier.review"]._check_it_not_self_attest(order)
                waiting = order.review_ids.filtered(
                    lambda r: r.status in ("waiting", "pending")
                )
                raise UserError(
                    self.env._(
                        "%(user)s is not an approver of %(order)s. Waiting for: "
                        "%(reviewers)s.",
                        user=self.env.user.name,
                        order=order.display_name,
                        reviewers=", ".join(waiting.reviewer_ids.mapped("name"))
                        or self.env._("nobody (no approval is open)"),
                    )
                )

    def _check_it_can_decide(self, tiers, status):
        """Before OCA's step decides the user's reviews of the order (of
        ``tiers``, else all) past their system fields: the user may read the
        order and write its reviews, and may decide them (``status``: approved
        or rejected) as their reviewer, not as its buyer."""
        if self.env.su:
            return
        self.check_access("read")
        reviews = tiers or self.review_ids
        reviews.check_access("write")
        reviews.filtered(
            lambda r: (
                r.status in ("waiting", "pending") and self.env.user in r.reviewer_ids
            )
        )._check_it_decision(status)

    def _validate_tier(self, tiers=False):
        # The reviews of one tier (one per activity code) share its sequence;
        # OCA stops at the first review of someone else, so keep the user's.
        if tiers:
            tiers = tiers.filtered(lambda r: self.env.user in r.reviewer_ids) or tiers
        self._check_it_can_decide(tiers, "approved")
        before = self.review_ids.filtered(lambda r: r.status == "approved")
        res = super(PurchaseOrder, self.sudo())._validate_tier(
            tiers=tiers and tiers.sudo()
        )
        self._it_log_reviews(self.review_ids.filtered("status") - before, "approved")
        if self.it_is_it_order and self.validation_status == "validated":
            self._it_record_approval()
        self._it_sync_approval_activities()
        return res

    def _it_record_approval(self):
        """The attest is complete: keep what was approved (amount per code,
        quantities and unit prices, by whom, when) to compare changes with."""
        self.ensure_one()
        approved = self.review_ids.filtered(lambda r: r.status == "approved")
        self._it_write_attest(
            {
                "it_attest_amounts": self._it_amounts_json(
                    self._get_it_activity_code_amounts()
                ),
                "it_approved_amount": self.amount_untaxed,
                "it_approved_by_ids": [Command.set(approved.done_by.ids)],
                "it_approved_date": max(
                    approved.mapped("reviewed_date"), default=fields.Datetime.now()
                ),
            }
        )
        for line in self.order_line.sudo().filtered(lambda ln: not ln.display_type):
            line.write(
                {
                    "it_approved_qty": line.product_qty,
                    "it_approved_price_unit": line.price_unit,
                }
            )

    def _rejected_tier(self, tiers=False):
        self._check_it_can_decide(tiers, "rejected")
        before = self.review_ids.filtered(lambda r: r.status == "rejected")
        res = super(PurchaseOrder, self.sudo())._rejected_tier(
            tiers=tiers and tiers.sudo()
        )
        self._it_log_reviews(self.review_ids.filtered("status") - before, "rejected")
        self._it_sync_approval_activities()
        return res

    def _it_log_reviews(self, reviews, status):
        """Post who approved or rejected what; the message carries the date."""
        reviews = reviews.filtered(lambda r: r.status == status)
        for order in self:
            for review in reviews.filtered(lambda r, o=order: r.res_id == o.id):
                what = (
                    review.it_activity_code_id.display_name
                    if review.it_activity_code_id
                    else review.name
                )
                if status == "approved":
                    body = self.env._(
                        "Approved by %(user)s: %(what)s.",
                        user=self.env.user.name,
                        what=what,
                    )
                else:
                    body = self.env._(
                        "Rejected by %(user)s: %(what)s.",
                        user=self.env.user.name,
                        what=what,
                    )
                log_note(order, body)

    def _it_sync_approval_activities(self):
        """One approval activity per user who still has a review to do; the
        others are marked done (the current user) or removed. The summary is
        the order's reference alone: the activity type's name, shown in each
        reader's language, says what to do (one language per screen)."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        for order in self.sudo():
            open_reviews = order.review_ids.filtered(
                lambda r: r.status in ("waiting", "pending")
            )
            needed = open_reviews.reviewer_ids
            activities = order.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            )
            kept = activities.filtered(lambda a, n=needed: a.user_id in n)
            for activity in activities - kept:
                if activity.user_id == self.env.user:
                    activity.action_feedback(feedback=self.env._("Reviewed"))
                else:
                    activity.unlink()
            for user in needed - kept.user_id:
                schedule_activity(
                    order,
                    user,
                    lambda localized: (localized.name, False),
                    APPROVAL_ACTIVITY,
                )

    def restart_validation(self):
        self.check_access("write")
        reopened = self.filtered(lambda o: o.review_ids)
        res = super(PurchaseOrder, self.sudo()).restart_validation()
        reopened._it_sync_approval_activities()
        return res

    @api.model
    def _update_counter(self, review_counter):
        return super(PurchaseOrder, self.sudo())._update_counter(review_counter)

    def _tier_validation_check_write_remove_reviews(self, vals):
        # A cancelled order, or one set back to draft, loses its reviews.
        if self._state_field in vals:
            self.check_access("write")
        return super(
            PurchaseOrder, self.sudo()
        )._tier_validation_check_write_remove_reviews(vals)

    def unlink(self):
        # A deleted order takes its reviews along; Odoo's refusal of an order
        # not cancelled comes first, so the reviews go only with the order.
        self.check_access("unlink")
        self._unlink_if_cancelled()
        self.review_ids.sudo().unlink()
        return super().unlink()

    def _it_check_attest(self, all_codes=False):
        """After a change: re-open the attest of every activity code whose
        amount now exceeds what its attest covers (a raised quantity or price,
        a new line, a removed discount, a line moved to another code, an IT
        line added to a confirmed order never attested), before or after the
        confirmation; log a lowered amount. ``all_codes``: the vendor or the
        company changed, every code is attested again."""
        for order in self.filtered(lambda o: o.it_is_it_order and o.state != "cancel"):
            covered = order.it_attest_amounts
            if covered is None or covered is False:
                if order.state in order._state_from and not order.review_ids:
                    # Not under attest yet: the request covers the order.
                    continue
                # Confirmed without an attest of IT lines, or reviews that are
                # not of an attest request (forged before an IT line came).
                covered = {}
            currency = order.company_id.currency_id
            current = order._get_it_activity_code_amounts()
            raised = {
                code: amount
                for code, amount in current.items()
                if all_codes
                or currency.compare_amounts(amount, covered.get(str(code.id), 0.0)) > 0
            }
            if raised:
                order._it_reopen_attest(raised, covered)
            elif any(
                currency.compare_amounts(current.get(code, 0.0), amount) < 0
                for code, amount in (
                    (order.env["account.analytic.account"].browse(int(code_id)), a)
                    for code_id, a in covered.items()
                )
            ):
                log_note(
                    order,
                    self.env._(
                        "Amount lowered by %(user)s: %(codes)s. The attest still "
                        "covers it.",
                        user=self.env.user.name,
                        codes=order._it_describe_amounts(current, covered),
                    ),
                )

    def _it_check_attest_after_lines(self):
        """``_it_check_attest`` after a change of lines, except on the orders
        whose own write is running: they check once, when it ends (see
        ``write``)."""
        deferred = self.env.protected(self._fields["it_attest_amounts"])
        (self - deferred)._it_check_attest()

    def _it_describe_amounts(self, current, covered):
        Account = self.env["account.analytic.account"]
        codes = Account.browse([int(c) for c in covered]) | Account.union(*current)
        currency = self.company_id.currency_id
        parts = []
        for code in codes.sorted("code"):
            before = covered.get(str(code.id), 0.0)
            after = current.get(code, 0.0)
            if currency.is_zero(before - after):
                continue
            parts.append(
                self.env._(
                    "%(code)s from %(before)s to %(after)s",
                    code=code.display_name,
                    before=currency.format(before),
                    after=currency.format(after),
                )
            )
        return "; ".join(parts)

    def _it_reopen_attest(self, raised, covered):
        """Drop the reviews and request the attest again for the raised codes
        (and the codes not yet approved), at the level their amounts need."""
        self.ensure_one()
        open_codes = self.review_ids.filtered(
            lambda r: r.status != "approved"
        ).it_activity_code_id
        codes = set(open_codes.ids) | {code.id for code in raised}
        self.review_ids.sudo().unlink()
        # OCA's need_validation has no dependencies: computed afresh here.
        self.invalidate_recordset(["review_ids", "need_validation"])
        self._it_write_attest({"it_attest_amounts": False})
        self.with_context(
            skip_check_state_condition=True, it_reopened_codes=ReopenedCodes(codes)
        ).request_validation()
        log_note(
            self,
            self.env._(
                "Attest re-opened by %(user)s: the amount rose (%(codes)s). "
                "Waiting for %(reviewers)s; receipts beyond the approved "
                "quantities wait for the attest.",
                user=self.env.user.name,
                codes=self._it_describe_amounts(
                    self._get_it_activity_code_amounts(), covered
                )
                or self.env._("another vendor or company"),
                reviewers=", ".join(self.it_approver_ids.mapped("name")) or "-",
            ),
        )
