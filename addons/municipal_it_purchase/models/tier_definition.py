# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    review_type = fields.Selection(
        selection_add=[("it_budget_holder", "Budget holder of each activity code")],
        ondelete={"it_budget_holder": "cascade"},
    )
    it_next_level = fields.Boolean(
        string="Above Budget Holder Limits",
        help="IT purchase orders only: this tier applies when the amount of the "
        "order on one of its activity codes exceeds that code's approval limit "
        "(the next level: IT manager or head of department).",
    )
