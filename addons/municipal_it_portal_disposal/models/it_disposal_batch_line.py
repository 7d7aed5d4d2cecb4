# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.tools import format_amount

from odoo.addons.municipal_it_lease.tools.selection import selection_label


class ItDisposalBatchLine(models.Model):
    _inherit = "it.disposal.batch.line"

    def _it_portal_grade_text(self):
        """The grade, disposition and offered value of the device, in the
        language of the record's environment."""
        self.ensure_one()
        return self.env._(
            "%(serial)s: grade %(grade)s, %(disposition)s, offered %(value)s",
            serial=self.serial_no,
            grade=self.grade.upper() if self.grade else "-",
            disposition=selection_label(self, "disposition") or "-",
            value=format_amount(self.env, self.offered_value, self.currency_id),
        )

    def action_dispute(self, reason):
        result = super().action_dispute(reason)
        for batch in self.batch_id:
            lines = self.filtered(lambda line, batch=batch: line.batch_id == batch)
            batch._it_portal_notify_lessor(
                "municipal_it_portal_disposal.mail_template_crate_disputed",
                it_portal_dispute_serials=", ".join(lines.mapped("serial_no")),
                it_portal_dispute_reason=reason.strip(),
            )
        return result
