# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.activity import schedule_activity
from odoo.addons.municipal_it_lease.tools.chatter import log_note
from odoo.addons.municipal_it_lease.tools.guard import (
    internal,
    refuse_system_writes,
    system_create,
)

from ..tools.steps import ATTEST_DEFERRED, TIER_STEP, ReopenedCodes, reopened_codes

APPROVAL_ACTIVITY = "municipal_it_purchase.mail_activity_type_it_po_approval"
# What the attest covers (the amounts per activity code under review or
# approved) and who approved when: only the validation's own steps write them.
ATTEST_SYSTEM_FIELDS = {
    "it_attest_amounts",
    "it_approved_amount",
    "it_approved_by_ids",
    "it_approved_date",
}


def _tier_step(records):
    """``records`` marked as OCA's own steps of the tier validation of
    purchase orders (request, validate, reject, restart, reset of the order):
    the reviews they create, write and delete pass the guard of
    ``tier.review``. Nothing else does. Only purchase orders are wrapped:
    every other model keeps OCA's tier validation as it is."""
    return records.with_env(internal(records.env, TIER_STEP))


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    # A change of these may raise what the order charges to an activity code:
    # the attest is checked against it (see _it_check_attest).
    _it_approval_fields = ("order_line", "partner_id", "currency_id", "company_id")

    it_is_it_order = fields.Boolean(
        string="IT Order",
        compute="_compute_it_is_it_order",
        store=True,
        index=True,
        help="The order has lines for IT devices: the budget holders of its "
        "activity codes approve it and its receipt creates devices.",
    )
    it_above_approval_limit = fields.Boolean(
        string="Above Approval Limit",
        compute="_compute_it_above_approval_limit",
        help="The amount on one of its activity codes exceeds that code's "
        "approval limit: the next level approves too.",
    )
    it_device_ids = fields.One2many(
        comodel_name="maintenance.equipment",
        inverse_name="it_purchase_id",
        string="Devices",
    )
    it_device_count = fields.Integer(
        string="Device Count", compute="_compute_it_device_count"
    )
    it_attest_amounts = fields.Json(
        string="Amounts under Attest",
        copy=False,
        readonly=True,
        help="Untaxed amount per activity code (company currency) that the "
        "requested or given attest covers.",
    )
    it_approved_amount = fields.Monetary(
        string="Approved Amount",
        copy=False,
        readonly=True,
        help="Untaxed amount of the order when its attest was last complete.",
    )
    it_approved_by_ids = fields.Many2many(
        comodel_name="res.users",
        relation="purchase_order_it_approved_by_rel",
        column1="order_id",
        column2="user_id",
        string="Approved By",
        copy=False,
        readonly=True,
    )
    it_approved_date = fields.Datetime(string="Approved On", copy=False, readonly=True)
    it_approver_ids = fields.Many2many(
        comodel_name="res.users",
        string="Can Approve Now",
        compute="_compute_it_approver_ids",
        help="The people who can approve the order now: the budget holders "
        "and deputies of its activity codes, or the next level.",
    )

    @api.depends("order_line.product_id")
    def _compute_it_is_it_order(self):
        for order in self:
            order.it_is_it_order = any(
                order.order_line.product_id.mapped("it_is_device")
            )

    @api.depends(
        "order_line.price_subtotal",
        "order_line.analytic_distribution",
        "company_id",
    )
    def _compute_it_above_approval_limit(self):
        for order in self:
            order.it_above_approval_limit = any(
                amount > code.it_approval_limit
                for code, amount in order._get_it_activity_code_amounts().items()
            )

    @api.depends("it_device_ids")
    def _compute_it_device_count(self):
        counts = dict(
            self.env["maintenance.equipment"]
            .sudo()
            ._read_group(
                [("it_purchase_id", "in", self.ids)],
                groupby=["it_purchase_id"],
                aggregates=["__count"],
            )
        )
        for order in self:
            order.it_device_count = counts.get(order, 0)

    @api.depends("review_ids.status", "review_ids.reviewer_ids")
    def _compute_it_approver_ids(self):
        for order in self:
            order.it_approver_ids = (
                order.review_ids.filtered(
                    lambda r: r.status == "pending" and r.can_review
                ).reviewer_ids
                or order.review_ids.filtered(
                    lambda r: r.status in ("waiting", "pending")
                ).reviewer_ids
            )

    def _get_it_self_attest_users(self):
        """Who may not approve the order: who created it, its purchase
        representative and who requested its approval (nobody attests their
        own purchase; the deputy or the next level does)."""
        self.ensure_one()
        order = self.sudo()
        return order.create_uid | order.user_id | order.review_ids.requested_by

    def _get_it_activity_code_amounts(self):
        """{activity code: untaxed amount of the order charged to it, in the
        company currency}, over the activity codes of the order's lines."""
        self.ensure_one()
        plan = self.company_id.it_activity_code_plan_id
        amounts = defaultdict(float)
        shares = []
        for line in self.order_line.filtered(lambda ln: not ln.display_type):
            for account_ids, percent in (line.analytic_distribution or {}).items():
                for account_id in str(account_ids).split(","):
                    shares.append((int(account_id), line, percent))
        accounts = (
            self.env["account.analytic.account"]
            .browse({share[0] for share in shares})
            .exists()
        )
        codes = accounts.filtered(lambda acc: plan and acc.root_plan_id == plan)
        company_currency = self.company_id.currency_id
        date = self.date_order or fields.Date.context_today(self)
        for account_id, line, percent in shares:
            code = codes.browse(account_id)
            if code not in codes:
                continue
            amount = line.price_subtotal * percent / 100
            amounts[code] += self.currency_id._convert(
                amount, company_currency, self.company_id, date
            )
        return dict(amounts)

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
        for order in self.filtered("it_is_it_order"):
            order._check_it_next_level_configured()
        # The caller gets the reviews without the marker.
        reviews = (
            super(PurchaseOrder, _tier_step(self))
            .request_validation()
            .with_env(self.env)
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
        """Write the attest's own fields (only this step may)."""
        return (
            self.with_env(internal(self.env, TIER_STEP))
            .with_context(tracking_disable=True)
            .write(vals)
        )

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
        return super(PurchaseOrder, _tier_step(self)).validate_tier()

    def reject_tier(self):
        self._check_it_can_review()
        return super(PurchaseOrder, _tier_step(self)).reject_tier()

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

    def _validate_tier(self, tiers=False):
        # The reviews of one tier (one per activity code) share its sequence;
        # OCA stops at the first review of someone else, so keep the user's.
        if tiers:
            tiers = tiers.filtered(lambda r: self.env.user in r.reviewer_ids) or tiers
        before = self.review_ids.filtered(lambda r: r.status == "approved")
        step = _tier_step(self)
        res = super(PurchaseOrder, step)._validate_tier(
            tiers=tiers and tiers.with_env(step.env)
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
        step = self.order_line.with_env(internal(self.env, TIER_STEP))
        for line in step.filtered(lambda ln: not ln.display_type):
            line.write(
                {
                    "it_approved_qty": line.product_qty,
                    "it_approved_price_unit": line.price_unit,
                }
            )

    def _rejected_tier(self, tiers=False):
        before = self.review_ids.filtered(lambda r: r.status == "rejected")
        step = _tier_step(self)
        res = super(PurchaseOrder, step)._rejected_tier(
            tiers=tiers and tiers.with_env(step.env)
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
        reopened = self.filtered(lambda o: o.review_ids)
        res = super(PurchaseOrder, _tier_step(self)).restart_validation()
        reopened._it_sync_approval_activities()
        return res

    @api.model
    def _update_counter(self, review_counter):
        return super(PurchaseOrder, _tier_step(self))._update_counter(review_counter)

    def _tier_validation_check_write_remove_reviews(self, vals):
        # A cancelled order, or one set back to draft, loses its reviews.
        return super(
            PurchaseOrder, _tier_step(self)
        )._tier_validation_check_write_remove_reviews(vals)

    def unlink(self):
        # A deleted order takes its reviews along.
        _tier_step(self.review_ids).unlink()
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
        step = self.with_env(internal(self.env, TIER_STEP))
        step.review_ids.unlink()
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

    def _check_it_approved(self):
        """An IT order is confirmed only once every review is approved."""
        for order in self.filtered(
            lambda o: o.it_is_it_order and o.state in ("draft", "sent", "to approve")
        ):
            if order.validation_status == "validated":
                continue
            open_reviews = order.review_ids.filtered(
                lambda r: r.status in ("waiting", "pending")
            )
            if open_reviews:
                reason = self.env._(
                    "waiting for %(reviewers)s",
                    reviewers=", ".join(open_reviews.reviewer_ids.mapped("name")),
                )
            elif order.validation_status == "rejected":
                reason = self.env._("it was rejected")
            else:
                reason = self.env._("its approval was not requested")
            raise UserError(
                self.env._(
                    "%(order)s cannot be confirmed before the budget holders of "
                    "its activity codes approve it: %(reason)s.",
                    order=order.display_name,
                    reason=reason,
                )
            )

    def _check_allow_write_under_validation(self, vals):
        # The lines of an IT order under attest may change: a raise re-opens
        # the attest (_it_check_attest), and the attest steps write theirs.
        if self.it_is_it_order and vals.keys() <= (
            set(self._it_approval_fields) | ATTEST_SYSTEM_FIELDS
        ):
            return True
        return super()._check_allow_write_under_validation(vals)

    @api.model_create_multi
    def create(self, vals_list):
        return super(
            PurchaseOrder,
            system_create(self, vals_list, ATTEST_SYSTEM_FIELDS, key=TIER_STEP),
        ).create(vals_list)

    def write(self, vals):
        refuse_system_writes(self, vals, ATTEST_SYSTEM_FIELDS, key=TIER_STEP)
        if vals.get("state") in ("purchase", "done"):
            self._check_it_approved()
        counterparty = {"partner_id", "company_id"} & vals.keys()
        moved = self.filtered(
            lambda o: any(
                o[name].id != vals[name] for name in counterparty if vals[name]
            )
        )
        if not set(self._it_approval_fields) & vals.keys():
            return super().write(vals)
        # The lines written through the order are checked once, at the end
        # (a quantity moved from one line to another is no raise).
        res = super(
            PurchaseOrder, self.with_env(internal(self.env, ATTEST_DEFERRED))
        ).write(vals)
        moved._it_check_attest(all_codes=True)
        (self - moved)._it_check_attest()
        return res

    def button_confirm(self):
        self.filtered(lambda o: o.state in ("draft", "sent"))._check_it_approved()
        return super().button_confirm()

    def action_view_it_devices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.maintenance_equipment_action_it"
        )
        action["domain"] = [("it_purchase_id", "=", self.id)]
        action["context"] = {}
        return action
