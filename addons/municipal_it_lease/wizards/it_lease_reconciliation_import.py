# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.access import BILLING, IT_MANAGER, check_groups


class ItLeaseReconciliationImport(models.TransientModel):
    """Upload a lessor's monthly invoice specification to reconcile it."""

    _name = "it.lease.reconciliation.import"
    _description = "Import a Lessor Invoice Specification"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    lessor_id = fields.Many2one("res.partner", required=True, check_company=True)
    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: fields.Date.start_of(
            fields.Date.context_today(self), "month"
        ),
    )
    file = fields.Binary(string="Specification", required=True, attachment=False)
    replace = fields.Boolean(
        help="Replace the import of this lessor and month, when it is not accepted.",
    )
    filename = fields.Char()

    def action_import(self):
        check_groups(
            self, self.env._("import a lessor specification"), IT_MANAGER, BILLING
        )
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the specification file first."))
        reconciliation = (
            self.env["it.lease.reconciliation"]
            .with_company(self.company_id)
            ._import_specification(
                self.lessor_id,
                fields.Date.start_of(self.date_from, "month"),
                base64.b64decode(self.file),
                self.filename,
                replace=self.replace,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "it.lease.reconciliation",
            "res_id": reconciliation.id,
            "view_mode": "form",
        }
