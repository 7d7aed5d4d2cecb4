# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItLeaseReconciliationLine(models.Model):
    _inherit = "it.lease.reconciliation.line"

    # The lessor reads its reconciliation lines: what its file said and what
    # the register expected. The links into the register stay internal, so
    # that no read, search, export or report of a portal user names a device
    # or a lease line (the import links only the lessor's own devices: see
    # ``leased_by_lessor`` of the lease addon).
    equipment_id = fields.Many2one(groups="base.group_user")
    lease_line_id = fields.Many2one(groups="base.group_user")
