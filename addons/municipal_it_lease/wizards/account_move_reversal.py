# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "date" in fields_list and context.get("active_model") == "account.move":
            runs = (
                self.env["account.move"]
                .browse(context.get("active_ids"))
                .it_charge_run_id
            )
            # A charge is reversed in its own month, not today's: the
            # correction belongs to the month it corrects.
            if runs and not context.get("default_date"):
                values["date"] = fields.Date.to_string(
                    max(run._get_reversal_date() for run in runs)
                )
        return values
