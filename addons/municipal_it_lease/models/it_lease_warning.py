# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItLeaseWarning(models.Model):
    """That a schedule was warned of at a lead time: one per schedule and lead
    time, so the daily job never warns twice."""

    _name = "it.lease.warning"
    _description = "Lease-End Warning"
    _order = "date desc, id desc"

    schedule_id = fields.Many2one(
        comodel_name="it.lease.schedule",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="schedule_id.company_id", store=True, index=True
    )
    lead_days = fields.Integer(string="Days Before the Notice Deadline", required=True)
    date = fields.Date(required=True)
    activity_id = fields.Many2one("mail.activity", ondelete="set null")

    _sql_constraints = [
        (
            "schedule_lead_uniq",
            "unique(schedule_id, lead_days)",
            "A schedule is warned once per lead time.",
        ),
    ]

    def _send_digest(self, company):
        """One e-mail per IT leasing manager of ``company`` listing the
        schedules warned of today, in the manager's language."""
        managers = self.env.ref(
            "municipal_it_lease.municipal_it_lease_group_manager"
        ).users.filtered(lambda user: company in user.company_ids and user.email)
        template = self.env.ref(
            "municipal_it_lease.mail_template_lease_end_digest"
        ).with_context(
            it_lease_company=company,
            it_lease_schedules=self.schedule_id.sorted(
                lambda schedule: (schedule.notice_date, schedule.name)
            ),
        )
        return self.env["mail.mail"].browse(
            [
                template.send_mail(
                    manager.id, email_layout_xmlid="mail.mail_notification_light"
                )
                for manager in managers
            ]
        )
