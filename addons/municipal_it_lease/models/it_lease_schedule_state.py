# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.access import IT_MANAGER, check_groups


class ItLeaseSchedule(models.Model):
    """A schedule's life: activation, end, cancellation, and the extension
    annex that continues its devices.

    Each button checks the user's group, their right to change the schedules
    and the state it starts from, then sets the state with ``sudo()``."""

    _inherit = "it.lease.schedule"

    def action_activate(self):
        """Start the lease: the schedule must list at least one device."""
        check_groups(self, self.env._("activate a lease schedule"), IT_MANAGER)
        self.check_access("write")
        for schedule in self:
            if schedule.state != "draft":
                raise UserError(
                    self.env._(
                        "Schedule %(schedule)s is not a draft.", schedule=schedule.name
                    )
                )
            if not schedule.line_ids:
                raise UserError(
                    self.env._(
                        "Schedule %(schedule)s has no lease lines: add the leased "
                        "devices before activating it.",
                        schedule=schedule.name,
                    )
                )
            schedule.line_ids._check_company_month_open(
                min(schedule.line_ids.mapped("date_start"))
            )
        self.sudo().state = "active"
        return True

    def action_end(self):
        check_groups(self, self.env._("end a lease schedule"), IT_MANAGER)
        self.check_access("write")
        if any(schedule.state != "active" for schedule in self):
            raise UserError(self.env._("Only active lease schedules can be ended."))
        self.sudo().state = "ended"
        return True

    def action_cancel(self):
        check_groups(self, self.env._("cancel a lease schedule"), IT_MANAGER)
        self.check_access("write")
        if any(schedule.state not in ("draft", "active") for schedule in self):
            raise UserError(
                self.env._("Only draft or active lease schedules can be cancelled.")
            )
        self.sudo().state = "cancelled"
        return True

    def action_draft(self):
        check_groups(self, self.env._("reset a lease schedule"), IT_MANAGER)
        self.check_access("write")
        if any(schedule.state != "cancelled" for schedule in self):
            raise UserError(
                self.env._("Only cancelled lease schedules can be reset to draft.")
            )
        self.sudo().state = "draft"
        return True

    def _get_extension_schedule(self, date_from, date_end):
        """The extension annex continuing this schedule's devices from
        ``date_from`` to ``date_end``: an open one with those dates, or a new
        one with this schedule's terms."""
        self.ensure_one()
        span = relativedelta(fields.Date.add(date_end, days=1), date_from)
        term = span.years * 12 + span.months + (1 if span.days else 0)
        extension = self.search(
            [
                ("extends_schedule_id", "=", self.id),
                ("date_start", "=", date_from),
                ("term_months", "=", term),
                ("state", "in", ("draft", "active")),
            ],
            limit=1,
        )
        if extension:
            return extension
        number = len(self.with_context(active_test=False).extension_ids) + 1
        return self.create(
            {
                "name": self.env._(
                    "%(schedule)s extension %(number)s",
                    schedule=self.name,
                    number=number,
                ),
                "agreement_id": self.agreement_id.id,
                "company_id": self.company_id.id,
                "currency_id": self.currency_id.id,
                "extends_schedule_id": self.id,
                "date_start": date_from,
                "term_months": term,
                "user_id": self.user_id.id,
                "notice_period_days": self.notice_period_days,
                "end_option": self.end_option,
                "end_option_terms": self.end_option_terms,
                "rent_continues": self.rent_continues,
                "discount_rate": self.discount_rate,
                "payment_timing": self.payment_timing,
            }
        )

    def action_decide(self):
        """Open the end-of-lease decision for the whole schedule."""
        check_groups(self, self.env._("decide at lease end"), IT_MANAGER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.it_lease_end_decision_action"
        )
        action["context"] = {"default_schedule_id": self.id}
        return action
