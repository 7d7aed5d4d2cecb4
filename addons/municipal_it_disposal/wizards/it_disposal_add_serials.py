# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItDisposalAddSerials(models.TransientModel):
    _name = "it.disposal.add.serials"
    _description = "Add Devices to a Return Crate"

    batch_id = fields.Many2one("it.disposal.batch", required=True, readonly=True)
    serials = fields.Text(
        string="Serial Numbers",
        required=True,
        help="Scan or paste serial numbers, one a line (commas and spaces work too).",
    )

    def action_add(self):
        self.ensure_one()
        self.batch_id._add_serials(self.serials)
        return {"type": "ir.actions.act_window_close"}
