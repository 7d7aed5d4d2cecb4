# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools.safe_eval import safe_eval

from ..models.res_company import WIPE_LEVELS


class ItDisposalReason(models.TransientModel):
    """Asks for the reason of a dispute, of accepting a certificate's
    exceptions, of lowering a device's wipe requirement or of attesting that
    a device holds no storage, then calls the model's own action (which
    checks who may do it)."""

    _name = "it.disposal.reason"
    _description = "Reason"

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True)
    action = fields.Selection(
        selection=[
            ("dispute", "Dispute"),
            ("accept_exception", "Accept exceptions"),
            ("lower_requirement", "Lower wipe requirement"),
            ("no_storage", "Attest no storage"),
        ],
        required=True,
    )
    reason = fields.Text(required=True)
    is_classified = fields.Boolean(string="Classified")
    wipe_level = fields.Selection(selection=WIPE_LEVELS, string="Wipe Level Required")

    def action_confirm(self):
        self.ensure_one()
        allowed = {
            ("it.disposal.batch.line", "dispute"): "action_dispute",
            ("it.wipe.certificate", "accept_exception"): "action_accept_exception",
            ("maintenance.equipment", "no_storage"): "action_attest_no_storage",
            ("maintenance.equipment", "lower_requirement"): (
                "action_lower_wipe_requirement"
            ),
        }
        method = allowed[(self.res_model, self.action)]
        records = self.env[self.res_model].browse(safe_eval(self.res_ids))
        if self.action == "lower_requirement":
            records.action_lower_wipe_requirement(
                self.reason, self.is_classified, self.wipe_level
            )
        else:
            getattr(records, method)(self.reason)
        return {"type": "ir.actions.act_window_close"}
