# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItLeaseReconciliationReopen(models.TransientModel):
    _name = "it.lease.reconciliation.reopen"
    _description = "Reopen an Accepted Reconciliation"

    reconciliation_id = fields.Many2one("it.lease.reconciliation", required=True)
    company_id = fields.Many2one(
        related="reconciliation_id.company_id", store=True, index=True
    )
    reason = fields.Text(required=True)

    def action_reopen(self):
        self.ensure_one()
        self.reconciliation_id._reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
