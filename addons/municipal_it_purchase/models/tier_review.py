# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class TierReview(models.Model):
    """The reviews of IT purchase orders, and of this addon's tiers, are what
    the budget holders decided: what a review is about, who reviews it and how
    it ended are set by OCA's steps of the validation only (request, validate,
    reject, restart), which the order runs with ``sudo()`` once it checked its
    user (see ``purchase.order``). A buyer could otherwise create approved
    reviews, or move a review to a code of their own. Every other review keeps
    OCA's rules (``_it_guarded``)."""

    _name = "tier.review"
    _inherit = ["tier.review", "it.system.fields.mixin"]

    model = fields.Char(it_system=True)
    res_id = fields.Many2oneReference(it_system=True)
    definition_id = fields.Many2one(it_system=True)
    it_activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="Activity Code",
        index="btree_not_null",
        it_system=True,
        help="The activity code whose budget holder approves in this review.",
    )
    sequence = fields.Integer(it_system=True)
    status = fields.Selection(it_system=True)
    done_by = fields.Many2one(it_system=True)
    reviewed_date = fields.Datetime(it_system=True)
    requested_by = fields.Many2one(it_system=True)
    reviewer_ids = fields.Many2many(it_system=True)
    todo_by = fields.Char(it_system=True)
    can_review = fields.Boolean(it_system=True)
    # OCA takes the company from the tier definition, which may have none (the
    # budget holders' tier is one for every company): a purchase order's
    # reviews belong to the order's company, so that OCA's multi-company rule
    # keeps them in it. Reviews of other documents keep OCA's company.
    company_id = fields.Many2one(
        comodel_name="res.company",
        string="Company",
        related=False,
        compute="_compute_company_id",
        store=True,
        index=True,
    )

    @api.depends("definition_id.company_id", "model", "res_id")
    def _compute_company_id(self):
        orders = self.filtered(lambda r: r.model == "purchase.order" and r.res_id)
        companies = {
            order.id: order.company_id.id
            for order in self.env["purchase.order"]
            .sudo()
            .browse(orders.mapped("res_id"))
            .exists()
        }
        for review in self:
            if review in orders and review.res_id in companies:
                review.company_id = companies[review.res_id]
            else:
                review.company_id = review.definition_id.company_id.id

    def _it_guarded(self):
        """The reviews this addon's rules apply to: those of IT purchase
        orders, or of its own tiers. Every other review keeps OCA's behaviour."""
        orders = (
            self.env["purchase.order"]
            .sudo()
            .browse({r.res_id for r in self if r.model == "purchase.order"})
            .exists()
            .filtered("it_is_it_order")
        )
        return self.filtered(
            lambda r: (
                (r.model == "purchase.order" and r.res_id in orders.ids)
                or r.definition_id.review_type == "it_budget_holder"
                or r.definition_id.it_next_level
            )
        )

    @api.model
    def _it_guarded_vals(self, vals):
        """Whether a review created with ``vals`` is one of ``_it_guarded``."""
        definition = (
            self.env["tier.definition"].sudo().browse(vals.get("definition_id"))
        )
        if definition.review_type == "it_budget_holder" or definition.it_next_level:
            return True
        if vals.get("model") != "purchase.order" or not vals.get("res_id"):
            return False
        order = self.env["purchase.order"].sudo().browse(vals["res_id"]).exists()
        return bool(order.it_is_it_order)

    @api.model
    def _check_it_not_self_attest(self, order):
        """Nobody approves an IT order they created, are the purchase
        representative of, or requested the approval of."""
        if self.env.user in order._get_it_self_attest_users():
            raise AccessError(
                self.env._(
                    "%(user)s may not approve %(order)s: nobody approves their "
                    "own purchase (created, represented or its approval "
                    "requested by them). The deputy or the next level approves.",
                    user=self.env.user.name,
                    order=order.display_name,
                )
            )

    @api.model
    def _get_reviewer_fields(self):
        return super()._get_reviewer_fields() + [
            "it_activity_code_id.it_budget_holder_id",
            "it_activity_code_id.it_budget_deputy_id",
        ]

    def _get_reviewers(self):
        if self.definition_id.review_type == "it_budget_holder":
            reviewers = self.it_activity_code_id._get_it_approvers()
        else:
            reviewers = super()._get_reviewers()
        if self.model == "purchase.order" and self._it_guarded():
            # No self-attest: the order's own buyer is nobody's reviewer.
            order = self.env["purchase.order"].browse(self.res_id).exists()
            if order:
                reviewers -= order._get_it_self_attest_users()
        return reviewers

    @api.model_create_multi
    def create(self, vals_list):
        guarded = (
            vals_list
            if self.env.su
            else [vals for vals in vals_list if self._it_guarded_vals(vals)]
        )
        reviews = super().create(self._it_expand_vals_list(guarded))
        if len(guarded) == len(vals_list):
            return reviews
        # Reviews of other documents keep OCA's rules (see _it_guarded): they
        # are created past this addon's system fields, then checked against
        # the user's own rights as the ORM would have checked them.
        others = [vals for vals in vals_list if not self._it_guarded_vals(vals)]
        other_reviews = super(TierReview, self.sudo()).create(others).with_env(self.env)
        other_reviews.check_access("create")
        return reviews | other_reviews

    @api.model
    def _it_expand_vals_list(self, vals_list):
        """``vals_list`` with a budget-holder tier's review made one review
        per activity code of the order."""
        Definition = self.env["tier.definition"]
        expanded = []
        for vals in vals_list:
            definition = Definition.browse(vals.get("definition_id"))
            if (
                definition.review_type != "it_budget_holder"
                or vals.get("it_activity_code_id")
                or not vals.get("model")
            ):
                expanded.append(vals)
                continue
            record = self.env[vals["model"]].browse(vals["res_id"])
            excluded = record._get_it_self_attest_users()
            for code in record._it_attest_codes():
                # A code with nobody but the buyer to approve goes to the
                # next level (evaluate_tier of the order).
                approvers = code._get_it_approvers()
                if not approvers or approvers - excluded:
                    expanded.append(dict(vals, it_activity_code_id=code.id))
        return expanded

    def write(self, vals):
        if not self.env.su:
            # A write over JSON-RPC, or OCA's comment wizard: the message says
            # why before the system fields refuse it.
            self._check_it_decision(vals.get("status"))
        return super().write(vals)

    def _it_system_fields_changed(self, vals, names=None):
        # Reviews of other documents keep OCA's rules.
        return super(TierReview, self._it_guarded())._it_system_fields_changed(
            vals, names
        )

    def _check_it_decision(self, status):
        """Refuse deciding the reviews (``status`` approved or rejected) to
        whoever is not their reviewer, and approving to whoever would approve
        their own purchase order."""
        if status not in ("approved", "rejected"):
            return
        guarded = self._it_guarded()
        if status == "approved":
            for review in guarded.filtered(lambda r: r.model == "purchase.order"):
                order = self.env["purchase.order"].browse(review.res_id).exists()
                if order:
                    self._check_it_not_self_attest(order)
        for review in guarded:
            if self.env.user not in review.reviewer_ids:
                raise AccessError(
                    self.env._(
                        "%(user)s may not approve or reject the review "
                        "%(review)s of %(document)s: it is for %(reviewers)s.",
                        user=self.env.user.name,
                        review=review.name,
                        document=review._get_it_document_name(),
                        reviewers=review.todo_by or "-",
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_it_document_reviews(self):
        """The reviews of a document go only with a restart of its validation
        (or with the document itself): deleting one would skip its reviewer."""
        if self.env.su:
            return
        for review in self._it_guarded():
            if review.model in self.env and review.res_id:
                document = self.env[review.model].browse(review.res_id).exists()
                if document:
                    raise UserError(
                        self.env._(
                            "The review %(review)s of %(document)s cannot be "
                            "deleted: restart the validation of the document "
                            "instead.",
                            review=review.name,
                            document=document.display_name,
                        )
                    )

    def _get_it_document_name(self):
        self.ensure_one()
        return self.env[self.model].browse(self.res_id).display_name

    @api.constrains("it_activity_code_id", "definition_id")
    def _check_it_budget_holder(self):
        for review in self:
            code = review.it_activity_code_id
            if code and not code._get_it_approvers():
                raise ValidationError(
                    self.env._(
                        "Activity code %(code)s has no budget holder: %(document)s "
                        "cannot be approved. Give the code a budget holder first.",
                        code=code.display_name,
                        document=review._get_it_document_name(),
                    )
                )
