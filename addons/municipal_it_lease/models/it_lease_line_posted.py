# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from odoo import api, fields, models
from odoo.exceptions import UserError


class ItLeaseLine(models.Model):
    """Posted months stay true: a change to what a lease line is charged is
    refused on a day a posted charge run charged (see ``create``/``write``)."""

    _inherit = "it.lease.line"

    def _get_charge_facts(self):
        self.ensure_one()
        return (
            self.equipment_id.id,
            self.schedule_id.id,
            self.monthly_rent,
            self.date_start,
            self.date_charged_until,
        )

    @api.model
    def _first_changed_day(self, before, after):
        """The first day whose charge differs between two charge facts."""
        equipment, schedule, rent, start, until = before
        new_equipment, new_schedule, new_rent, new_start, new_until = after
        days = []
        if (equipment, schedule, rent) != (
            new_equipment,
            new_schedule,
            new_rent,
        ) or start != new_start:
            days.append(min(start, new_start))
        if until != new_until:
            ends = [day for day in (until, new_until) if day]
            days.append(fields.Date.add(min(ends), days=1))
        return min(days) if days else None

    def _check_posted_charges_from(self, days):
        """Refuse a change to the charge of lease lines (``{line: first day
        changed}``) on a day already charged in a posted charge run."""
        days = {line: day for line, day in days.items() if day}
        if not days:
            return
        self.env.flush_all()
        lines = list(days)
        self.env.cr.execute(
            """
            SELECT changed.line_id, run.id
              FROM unnest(%s::int[], %s::date[]) AS changed(line_id, day)
              JOIN it_charge_line charge
                ON charge.lease_line_id = changed.line_id
               AND charge.date_to >= changed.day
              JOIN it_charge_run run
                ON run.id = charge.run_id AND run.state = 'posted'
          ORDER BY run.date_from
             LIMIT 1
            """,
            [[line.id for line in lines], [days[line] for line in lines]],
        )
        row = self.env.cr.fetchone()
        if row:
            line = self.browse(row[0])
            run = self.env["it.charge.run"].browse(row[1])
            raise UserError(
                self.env._(
                    "Device %(device)s on schedule %(schedule)s was charged in "
                    "charge run %(run)s, which is posted: this change would alter "
                    "a posted month. Reverse that month's charge first (Monthly "
                    "Charge Runs ▸ Reverse), make the change and run the month "
                    "again; to change the rent from a date, use Change Rent.",
                    device=line.equipment_id.display_name,
                    schedule=line.schedule_id.name,
                    run=run.name,
                )
            )

    def _check_company_month_open(self, date_from):
        """Refuse adding devices to the charge of a posted month."""
        companies = self.company_id
        for company in companies:
            run = self.env["it.charge.run"].search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("date_to", ">=", date_from),
                ],
                order="date_from",
                limit=1,
            )
            if run:
                raise UserError(
                    self.env._(
                        "Charge run %(run)s is posted: devices cannot start their "
                        "lease on %(date)s, in or before a posted month, as the "
                        "posted charge would no longer be true. Reverse that "
                        "month's charge first, or let the devices start after "
                        "%(end)s.",
                        run=run.name,
                        date=date_from,
                        end=run.date_to,
                    )
                )
