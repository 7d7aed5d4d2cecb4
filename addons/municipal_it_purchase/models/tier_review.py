# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.municipal_it_lease.tools.guard import (
    is_internal,
    refuse_system_writes,
    system_create,
)

from ..tools.steps import TIER_STEP

# What a review is about, who reviews it and how it ended: only OCA's steps
# of the validation (request, validate, reject) set them. A buyer could
# otherwise create approved reviews, or move a review to a code of their own.
REVIEW_SYSTEM_FIELDS = {
    "model",
    "res_id",
    "definition_id",
    "it_activity_code_id",
    "sequence",
    "status",
    "done_by",
    "reviewed_date",
    "requested_by",
    "reviewer_ids",
    "todo_by",
    "can_review",
}


class TierReview(models.Model):
    _inherit = "tier.review"

    it_activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="Activity Code",
        index="btree_not_null",
        help="The activity code whose budget holder approves in this review.",
    )

    @api.model
    def _get_reviewer_fields(self):
        return super()._get_reviewer_fields() + [
            "it_activity_code_id.it_budget_holder_id",
            "it_activity_code_id.it_budget_deputy_id",
        ]

    def _get_reviewers(self):
        if self.definition_id.review_type == "it_budget_holder":
            return self.it_activity_code_id._get_it_approvers()
        return super()._get_reviewers()

    @api.model_create_multi
    def create(self, vals_list):
        # Created by OCA's steps only; a context default is no way around it.
        reviews = system_create(
            self,
            # Superuser (no request can be): its values pass, not its defaults.
            [] if self.env.su else vals_list,
            REVIEW_SYSTEM_FIELDS,
            key=TIER_STEP,
        )
        # A budget-holder tier is one review per activity code of the order.
        Definition = reviews.env["tier.definition"]
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
            record = reviews.env[vals["model"]].browse(vals["res_id"])
            for code in record._get_it_activity_code_amounts():
                expanded.append(dict(vals, it_activity_code_id=code.id))
        return super(TierReview, reviews).create(expanded)

    def write(self, vals):
        if vals.get("status") in ("approved", "rejected") and not self.env.su:
            for review in self:
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
        if not self.env.su:
            refuse_system_writes(self, vals, REVIEW_SYSTEM_FIELDS, key=TIER_STEP)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_it_document_reviews(self):
        """The reviews of a document go only with a restart of its validation
        (or with the document itself): deleting one would skip its reviewer."""
        if self.env.su or is_internal(self.env, TIER_STEP):
            return
        for review in self:
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
