# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ItLeaseAgreement(models.Model):
    _name = "it.lease.agreement"
    _inherit = ["it.lease.agreement", "portal.mixin", "it.lease.portal.mixin"]

    def _compute_access_url(self):
        for agreement in self:
            agreement.access_url = f"/my/leasing/agreements/{agreement.id}"

    def _it_portal_token_expired(self):
        self.ensure_one()
        return not self.active

    def _it_portal_responsible(self):
        self.ensure_one()
        schedule = self.sudo().schedule_ids.filtered("user_id")[:1]
        if not self.sudo().company_id.it_portal_responsible_id and schedule:
            return schedule._it_portal_responsible()
        return super()._it_portal_responsible()
