# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError

# A shared link to a schedule works while the schedule runs.
TOKEN_STATES = ("draft", "active")


class ItLeaseSchedule(models.Model):
    _name = "it.lease.schedule"
    _inherit = ["it.lease.schedule", "portal.mixin", "it.lease.portal.mixin"]

    # Internal: who follows the schedule up, internal notes, warnings and the
    # accounting classification are not the lessor's business.
    user_id = fields.Many2one(groups="base.group_user")
    note = fields.Html(groups="base.group_user")
    warning_ids = fields.One2many(groups="base.group_user")
    r5_override_reason = fields.Text(groups="base.group_user")

    def _compute_access_url(self):
        for schedule in self:
            schedule.access_url = f"/my/leasing/schedules/{schedule.id}"

    def _it_portal_token_expired(self):
        self.ensure_one()
        return self.state not in TOKEN_STATES

    def _portal_ensure_token(self):
        for schedule in self:
            if schedule._it_portal_token_expired():
                raise UserError(
                    self.env._(
                        "Schedule %(schedule)s has ended: it can no longer be "
                        "shared by link.",
                        schedule=schedule.display_name,
                    )
                )
        return super()._portal_ensure_token()
