# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools.safe_eval import safe_eval


class ItDisposalReason(models.TransientModel):
    """Asks for the reason of a dispute or of accepting a certificate's
    exceptions, then calls the model's own action."""

    _name = "it.disposal.reason"
    _description = "Reason"

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True)
    action = fields.Selection(
        selection=[("dispute", "Dispute"), ("accept_exception", "Accept exceptions")],
        required=True,
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        allowed = {
            ("it.disposal.batch.line", "dispute"): "action_dispute",
            ("it.wipe.certificate", "accept_exception"): "action_accept_exception",
        }
        method = allowed[(self.res_model, self.action)]
        records = self.env[self.res_model].browse(safe_eval(self.res_ids))
        getattr(records, method)(self.reason)
        return {"type": "ir.actions.act_window_close"}
