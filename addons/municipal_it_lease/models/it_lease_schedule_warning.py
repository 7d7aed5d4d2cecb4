# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.tools import format_date

from ..tools.activity import schedule_activity


class ItLeaseSchedule(models.Model):
    """The lease-end warnings: in time before a schedule's notice deadline,
    an activity for its responsible and a digest for the IT leasing managers."""

    _inherit = "it.lease.schedule"

    @api.model
    def _get_due_warnings(self, today):
        """{schedule: lead times now due and not yet warned} for schedules
        with undecided devices whose end is still ahead."""
        due = {}
        companies = self.env["res.company"].search([])
        for company in companies:
            lead_times = company._get_it_lease_warning_days()
            if not lead_times:
                continue
            horizon = fields.Date.add(today, days=max(lead_times))
            schedules = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("notice_date", "<=", horizon),
                    ("date_end", ">=", today),
                ]
            )
            for schedule in schedules.filtered("undecided_count"):
                warned = set(schedule.warning_ids.mapped("lead_days"))
                days_left = (schedule.notice_date - today).days
                leads = [lead for lead in lead_times if days_left <= lead]
                if leads and not set(leads) <= warned:
                    due[schedule] = leads
        return due

    @api.model
    def _cron_lease_end_warnings(self):
        """Warn, in time, of the schedules whose notice deadline comes near.

        One activity per schedule and lead time for its responsible, and one
        e-mail digest per company to each of its IT leasing managers, each in
        the reader's language. Lead times already passed when a schedule is
        first seen are recorded without an activity of their own: only the
        most urgent is raised. Running twice the same day creates nothing.
        """
        today = fields.Date.context_today(self)
        due = self._get_due_warnings(today)
        warnings = self.env["it.lease.warning"]
        for schedule, leads in due.items():
            warnings |= schedule._create_warnings(leads, today)
        for company, company_warnings in warnings.grouped("company_id").items():
            company_warnings._send_digest(company)
        return warnings

    def _create_warnings(self, leads, today):
        self.ensure_one()
        warned = set(self.warning_ids.mapped("lead_days"))
        new_leads = sorted(set(leads) - warned)
        urgent = new_leads[0]
        activity = schedule_activity(
            self,
            self._get_warning_user(),
            lambda schedule: (
                schedule._get_warning_summary(today),
                schedule._get_warning_note(),
            ),
            "municipal_it_lease.mail_activity_type_lease_end",
            date_deadline=self.notice_date,
        )
        return self.env["it.lease.warning"].create(
            [
                {
                    "schedule_id": self.id,
                    "lead_days": lead,
                    "date": today,
                    "activity_id": activity.id if lead == urgent else False,
                }
                for lead in new_leads
            ]
        )

    def _get_warning_summary(self, today):
        """'Decide by <date> (in N days)', or 'overdue by N days'."""
        self.ensure_one()
        days = (self.notice_date - today).days
        date = format_date(self.env, self.notice_date)
        if days < 0:
            if days == -1:
                return self.env._(
                    "Lease end: notice deadline %(date)s passed, overdue by 1 day",
                    date=date,
                )
            return self.env._(
                "Lease end: notice deadline %(date)s passed, overdue by %(days)s days",
                date=date,
                days=-days,
            )
        if days == 0:
            return self.env._("Lease end: decide today (%(date)s)", date=date)
        if days == 1:
            return self.env._("Lease end: decide by %(date)s (tomorrow)", date=date)
        return self.env._(
            "Lease end: decide by %(date)s (in %(days)s days)", date=date, days=days
        )

    def _get_warning_note(self):
        """What the responsible must decide, by when, and what happens after
        the end date; in the language of the record's environment."""
        self.ensure_one()
        return self.env._(
            "%(count)s devices of schedule %(schedule)s are undecided. Decide "
            "for each: return, buy out or extend, and give notice to %(lessor)s "
            "by %(date)s. %(after_end)s",
            count=self.undecided_count,
            schedule=self.name,
            lessor=self.lessor_id.name,
            date=format_date(self.env, self.notice_date),
            after_end=self._get_after_end_text(),
        )

    def _get_after_end_text(self):
        """What happens to an undecided device after the end date, by the
        schedule's terms."""
        self.ensure_one()
        if self.rent_continues:
            return self.env._(
                "After %(end)s the rent of a device not bought out or extended "
                "continues month by month until the lessor takes it back.",
                end=format_date(self.env, self.date_end),
            )
        return self.env._(
            "The rent ends on %(end)s; devices not bought out or extended must be "
            "returned by then.",
            end=format_date(self.env, self.date_end),
        )

    def _get_warning_user(self):
        self.ensure_one()
        managers = self.env.ref(
            "municipal_it_lease.municipal_it_lease_group_manager"
        ).users
        if self.user_id and self.user_id in managers:
            return self.user_id
        return (
            managers.filtered(
                lambda user: self.company_id in user.company_ids and not user.share
            ).sorted("id")[:1]
            or self.env.user
        )
