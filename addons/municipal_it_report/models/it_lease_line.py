# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import models


class ItLeaseLine(models.Model):
    _inherit = "it.lease.line"

    def _decide_extend(self, date_from, date_end, monthly_rents):
        """Extending a lease avoids a share of a new unit: record it in the
        CO2e ledger, pro rata of the extension's months."""
        new_lines = super()._decide_extend(date_from, date_end, monthly_rents)
        span = relativedelta(date_end + relativedelta(days=1), date_from)
        months = span.years * 12 + span.months + (1 if span.days else 0)
        entries = self.env["it.co2e.entry"]
        for line in self:
            entries._record_event(
                "extended",
                line.equipment_id,
                date_from,
                origin_ref=f"it.lease.line,{line.id}",
                months=months,
                strict=False,
            )
        return new_lines
