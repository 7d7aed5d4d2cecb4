# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "it.system.fields.mixin"]

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
    # What the attest covers (the amounts per activity code under review or
    # approved) and who approved when: only the validation's own steps write
    # them (_it_write_attest).
    it_attest_amounts = fields.Json(
        string="Amounts under Attest",
        copy=False,
        readonly=True,
        it_system=True,
        help="Untaxed amount per activity code (company currency) that the "
        "requested or given attest covers.",
    )
    it_approved_amount = fields.Monetary(
        string="Approved Amount",
        copy=False,
        readonly=True,
        it_system=True,
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
        it_system=True,
    )
    it_approved_date = fields.Datetime(
        string="Approved On", copy=False, readonly=True, it_system=True
    )
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

    def write(self, vals):
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
        # The lines written through the order are checked once, at the end (a
        # quantity moved from one line to another is no raise): while the
        # order's own write runs, its attest is kept from their checks (see
        # _it_check_attest_after_lines).
        with self.env.protecting([self._fields["it_attest_amounts"]], self):
            res = super().write(vals)
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
            set(self._it_approval_fields) | self._it_system_field_names()
        ):
            return True
        return super()._check_allow_write_under_validation(vals)
