# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import fields, models


class ItWipeReportImport(models.TransientModel):
    _name = "it.wipe.report.import"
    _description = "Import a Sanitization Report"

    batch_id = fields.Many2one(
        "it.disposal.batch",
        string="Return Crate",
        help="The crate the report is about (its unmatched rows are listed there).",
    )
    file = fields.Binary(required=True, attachment=False)
    file_name = fields.Char()

    def action_import(self):
        self.ensure_one()
        report = self.env["it.wipe.report"]._import_file(
            base64.b64decode(self.file),
            self.file_name or "report",
            batch=self.batch_id or None,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "it.wipe.report",
            "res_id": report.id,
            "view_mode": "form",
        }
