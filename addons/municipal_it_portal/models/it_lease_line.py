# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItLeaseLine(models.Model):
    _inherit = "it.lease.line"

    # Who decided, and the municipality's own bill, stay internal.
    decision_user_id = fields.Many2one(groups="base.group_user")
    buyout_move_id = fields.Many2one(groups="base.group_user")
