# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA's own steps of a tier validation, marked so that the reviews they
create, write and delete pass the guard of ``tier.review``: a request creates
the reviews, a validation or rejection writes them, a restart (or a reset of
the document) deletes them. Nothing else does."""

from odoo import api, models

from odoo.addons.municipal_it_lease.tools.guard import internal

from ..tools.steps import TIER_STEP


def _tier_step(records):
    return records.with_env(internal(records.env, TIER_STEP))


class TierValidation(models.AbstractModel):
    _inherit = "tier.validation"

    def request_validation(self):
        reviews = super(TierValidation, _tier_step(self)).request_validation()
        # The caller gets the reviews without the marker.
        return reviews.with_env(self.env)

    def validate_tier(self):
        return super(TierValidation, _tier_step(self)).validate_tier()

    def reject_tier(self):
        return super(TierValidation, _tier_step(self)).reject_tier()

    def _validate_tier(self, tiers=False):
        step = _tier_step(self)
        return super(TierValidation, step)._validate_tier(
            tiers=tiers and tiers.with_env(step.env)
        )

    def _rejected_tier(self, tiers=False):
        step = _tier_step(self)
        return super(TierValidation, step)._rejected_tier(
            tiers=tiers and tiers.with_env(step.env)
        )

    def restart_validation(self):
        return super(TierValidation, _tier_step(self)).restart_validation()

    @api.model
    def _update_counter(self, review_counter):
        return super(TierValidation, _tier_step(self))._update_counter(review_counter)

    def _tier_validation_check_write_remove_reviews(self, vals):
        # A cancelled order, or one set back to draft, loses its reviews.
        return super(
            TierValidation, _tier_step(self)
        )._tier_validation_check_write_remove_reviews(vals)

    def unlink(self):
        # A deleted document takes its reviews along.
        _tier_step(self.review_ids).unlink()
        return super().unlink()
