# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItLeaseRentChange(models.TransientModel):
    """Change a device's monthly rent from a date: an effective-dated change
    that never rewrites a charged month."""

    _name = "it.lease.rent.change"
    _description = "Change the Monthly Rent from a Date"

    lease_line_id = fields.Many2one("it.lease.line", required=True)
    company_id = fields.Many2one(
        related="lease_line_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="lease_line_id.currency_id")
    date_from = fields.Date(string="New Rent From", required=True)
    monthly_rent = fields.Monetary(string="New Monthly Rent", required=True)

    def action_apply(self):
        self.ensure_one()
        new_line = self.lease_line_id._change_rent(self.date_from, self.monthly_rent)
        return {
            "type": "ir.actions.act_window",
            "res_model": "it.lease.line",
            "res_id": new_line.id,
            "view_mode": "form",
        }
