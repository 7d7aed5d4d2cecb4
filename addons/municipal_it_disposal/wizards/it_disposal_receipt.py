# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ItDisposalReceipt(models.TransientModel):
    _name = "it.disposal.receipt"
    _description = "Confirm Receipt of a Return Crate"

    batch_id = fields.Many2one("it.disposal.batch", required=True, readonly=True)
    receipt_date = fields.Date(required=True, default=fields.Date.context_today)
    received_by = fields.Char()
    location = fields.Char(string="Where")
    seals_seen = fields.Char(
        help="The seal numbers found on the crate on arrival, separated by commas.",
    )
    serials = fields.Text(
        string="Serial Numbers Received",
        help="Scan or paste the serial numbers received, one a line.",
    )

    @api.onchange("batch_id")
    def _onchange_batch_id(self):
        if self.batch_id and not self.serials:
            self.serials = "\n".join(
                self.batch_id.line_ids.filtered(
                    lambda line: line.receipt_state == "pending"
                ).mapped("serial_no")
            )

    def action_confirm(self):
        self.ensure_one()
        self.batch_id._confirm_receipt(
            self.serials,
            self.receipt_date,
            self.seals_seen,
            self.received_by,
            self.location,
        )
        return {"type": "ir.actions.act_window_close"}
