# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class ReportCustodyDocument(models.AbstractModel):
    """The custody document: its times in the printing user's time zone
    (whatever the context the report is rendered in), and every event's hash
    and the head of the crate's log printed as the recipient's anchors (the
    print button records them: the report routes are read-only)."""

    _name = "report.municipal_it_disposal.report_custody_document"
    _description = "Chain of Custody Document"

    @api.model
    def _get_report_values(self, docids, data=None):
        batches = self.env["it.disposal.batch"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "it.disposal.batch",
            "docs": batches,
            "tz": self._get_report_tz(batches),
        }

    @api.model
    def _get_report_tz(self, batches):
        """The printing user's time zone, else the company's, else UTC."""
        return (
            self.env.user.tz
            or batches.company_id[:1].partner_id.tz
            or self.env.company.partner_id.tz
            or "UTC"
        )
