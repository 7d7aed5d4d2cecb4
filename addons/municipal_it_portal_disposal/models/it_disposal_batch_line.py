# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import models


class ItDisposalBatchLine(models.Model):
    _inherit = "it.disposal.batch.line"

    def action_dispute(self, reason):
        result = super().action_dispute(reason)
        for batch in self.batch_id:
            lines = self.filtered(lambda line, batch=batch: line.batch_id == batch)
            batch._it_portal_notify_lessor(
                self.env._("Dispute on crate %(crate)s", crate=batch.name),
                batch._it_portal_mail_body(
                    Markup("%s")
                    % self.env._(
                        "%(company)s disputes the grade or value of %(serials)s: "
                        "%(reason)s",
                        company=batch.company_id.name,
                        serials=", ".join(lines.mapped("serial_no")),
                        reason=reason.strip(),
                    )
                ),
            )
        return result
