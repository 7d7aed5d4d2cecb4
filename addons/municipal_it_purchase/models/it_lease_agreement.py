# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class ItLeaseAgreement(models.Model):
    _inherit = "it.lease.agreement"

    @api.model
    def _get_it_lessor_agreement(self, lessor, company):
        """The lessor's latest master agreement in ``company``; one is created
        (to be completed) when the lessor has none."""
        agreement = self.search(
            [("lessor_id", "=", lessor.id), ("company_id", "=", company.id)],
            order="date_signed desc, id desc",
            limit=1,
        )
        if agreement:
            return agreement
        return self.create(
            {
                "name": self.env._("%(lessor)s master agreement", lessor=lessor.name),
                "lessor_id": lessor.id,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
            }
        )
