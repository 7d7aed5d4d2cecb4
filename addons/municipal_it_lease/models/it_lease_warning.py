# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools import format_date


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
        """One e-mail to the company's IT leasing managers listing the
        schedules warned of today."""
        managers = self.env.ref(
            "municipal_it_lease.municipal_it_lease_group_manager"
        ).users.filtered(lambda user: company in user.company_ids and user.email)
        if not managers:
            return self.env["mail.mail"]
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                schedule.name,
                schedule.lessor_id.name,
                format_date(self.env, schedule.notice_date),
                format_date(self.env, schedule.date_end),
                schedule.undecided_count,
            )
            for schedule in self.schedule_id.sorted("notice_date")
        )
        _ = self.env._
        body = Markup(
            "<p>%s</p><table border='1' cellpadding='4'><tr><th>%s</th><th>%s</th>"
            "<th>%s</th><th>%s</th><th>%s</th></tr>%s</table>"
        ) % (
            _(
                "These lease schedules of %(company)s come near their notice "
                "deadline. Decide for each device: return, buy out or extend.",
                company=escape(company.name),
            ),
            _("Schedule"),
            _("Lessor"),
            _("Notice deadline"),
            _("End date"),
            _("Undecided devices"),
            rows,
        )
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": (
                        _(
                            "Lease end: 1 schedule to decide (%(company)s)",
                            company=company.name,
                        )
                        if len(self.schedule_id) == 1
                        else _(
                            "Lease end: %(count)s schedules to decide (%(company)s)",
                            count=len(self.schedule_id),
                            company=company.name,
                        )
                    ),
                    "body_html": body,
                    "recipient_ids": [fields.Command.set(managers.partner_id.ids)],
                    "email_from": company.email_formatted
                    or self.env.user.email_formatted,
                    "auto_delete": False,
                }
            )
        )
