# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.activity import schedule_activity
from odoo.addons.municipal_it_lease.tools.chatter import log_note

APPROVAL_ACTIVITY = "municipal_it_purchase.mail_activity_type_it_po_approval"


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    # A change of these re-opens the approval of an order (its amount or what
    # it charges to which activity code changes).
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
            self.it_is_it_order and self.it_above_approval_limit
        ):
            return self.browse()
        return super().evaluate_tier(tier)

    def request_validation(self):
        for order in self.filtered("it_is_it_order"):
            order._check_it_next_level_configured()
        reviews = super().request_validation()
        self._it_sync_approval_activities()
        return reviews

    def _check_it_next_level_configured(self):
        self.ensure_one()
        if not self.it_above_approval_limit:
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
        (OCA's tier validation would silently do nothing)."""
        for order in self:
            if not order._get_sequences_to_approve(self.env.user):
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
        res = super()._validate_tier(tiers=tiers)
        self._it_log_reviews(self.review_ids.filtered("status") - before, "approved")
        self._it_sync_approval_activities()
        return res

    def _rejected_tier(self, tiers=False):
        before = self.review_ids.filtered(lambda r: r.status == "rejected")
        res = super()._rejected_tier(tiers=tiers)
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
        others are marked done (the current user) or removed."""
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
                    lambda localized: (
                        localized.env._("Approve %(order)s", order=localized.name),
                        False,
                    ),
                    APPROVAL_ACTIVITY,
                )

    def restart_validation(self):
        reopened = self.filtered(lambda o: o.review_ids)
        res = super().restart_validation()
        reopened._it_sync_approval_activities()
        return res

    def _it_reopen_approval(self):
        """Drop the reviews of orders still waiting to be confirmed, so that a
        changed order is approved again."""
        orders = self.filtered(
            lambda o: o.it_is_it_order and o.review_ids and o.state in o._state_from
        )
        if not orders:
            return
        orders.restart_validation()
        for order in orders:
            log_note(
                order,
                body=self.env._(
                    "Approval re-opened by %(user)s: the lines or the amount of the "
                    "order changed. Request the approval again.",
                    user=self.env.user.name,
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

    def write(self, vals):
        if set(self._it_approval_fields) & vals.keys():
            self._it_reopen_approval()
        if vals.get("state") in ("purchase", "done"):
            self._check_it_approved()
        return super().write(vals)

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
