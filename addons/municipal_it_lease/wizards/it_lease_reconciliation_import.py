# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import fields, models
from odoo.exceptions import UserError


class ItLeaseReconciliationImport(models.TransientModel):
    """Upload a lessor's monthly invoice specification to reconcile it."""

    _name = "it.lease.reconciliation.import"
    _description = "Import a Lessor Invoice Specification"

    lessor_id = fields.Many2one("res.partner", string="Lessor", required=True)
    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: fields.Date.start_of(
            fields.Date.context_today(self), "month"
        ),
    )
    file = fields.Binary(string="Specification", required=True, attachment=False)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the specification file first."))
        reconciliation = self.env["it.lease.reconciliation"]._import_specification(
            self.lessor_id,
            fields.Date.start_of(self.date_from, "month"),
            base64.b64decode(self.file),
            self.filename,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "it.lease.reconciliation",
            "res_id": reconciliation.id,
            "view_mode": "form",
        }
