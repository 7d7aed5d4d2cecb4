# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import lease_rules
from ..tools.access import IT_MANAGER, check_groups
from ..tools.chatter import log_note
from ..tools.guard import (
    internal,
    is_internal,
    refuse_system_writes,
    system_create,
)
from ..tools.lease_rules import CHARGED_SCHEDULE_STATES

# The step of a rent change that writes its two halves before checking them.
RENT_CHANGE = "it_lease_rent_change"

# Fields whose change can change what a lease line is charged.
CHARGE_FIELDS = {
    "equipment_id",
    "schedule_id",
    "monthly_rent",
    "date_start",
    "date_end",
    "end_decision",
    "date_decision_effective",
    "date_returned",
    "continued_by_id",
}


# Set by the end-of-lease decisions, the return, a rent change and the
# schedule (its state, lessor and company), or computed (the last day
# charged): never written by hand, so that what is charged follows the steps
# that decide it.
LINE_SYSTEM_FIELDS = {
    "state",
    "lessor_id",
    "company_id",
    "notice_date",
    "end_decision",
    "decision_date",
    "date_decision_effective",
    "date_returned",
    "decision_user_id",
    "buyout_move_id",
    "extension_line_id",
    "continued_by_id",
    "date_charged_until",
}


class ItLeaseLine(models.Model):
    """One leased device on a schedule: what it costs each month and when."""

    _name = "it.lease.line"
    _description = "IT Lease Line"
    _order = "schedule_id, date_start, id"
    _rec_name = "equipment_id"
    _check_company_auto = True

    schedule_id = fields.Many2one(
        comodel_name="it.lease.schedule",
        string="Lease Schedule",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    serial_no = fields.Char(related="equipment_id.serial_no", string="Serial Number")
    company_id = fields.Many2one(
        related="schedule_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="schedule_id.currency_id")
    lessor_id = fields.Many2one(related="schedule_id.lessor_id", store=True)
    state = fields.Selection(related="schedule_id.state", store=True, index=True)
    notice_date = fields.Date(
        related="schedule_id.notice_date",
        store=True,
        string="Notice Deadline",
        help="Last day to tell the lessor what happens at lease end.",
    )
    monthly_rent = fields.Monetary(required=True)
    residual_value = fields.Monetary(
        help="Price at which the device can be bought out at the end of the lease."
    )
    date_start = fields.Date(
        string="Start Date",
        compute="_compute_date_start",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="First day the device is on lease; later than the schedule start "
        "when the device joined a running schedule.",
    )
    date_end = fields.Date(
        string="End Date",
        compute="_compute_date_end",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        index=True,
        help="Last day the device is on lease.",
    )

    end_decision = fields.Selection(
        selection=[
            ("return", "Return"),
            ("buy_out", "Buy out"),
            ("extend", "Extend"),
        ],
        string="End-of-Lease Decision",
        copy=False,
        readonly=True,
        index=True,
        help="Empty while undecided. When the schedule's terms say the rent "
        "continues until the device is returned, an undecided device (or one "
        "decided for return but not yet taken back) keeps being charged after "
        "its end date, as the lessor keeps billing it.",
    )
    decision_date = fields.Date(copy=False, readonly=True)
    date_decision_effective = fields.Date(
        string="Decision Effective On",
        copy=False,
        readonly=True,
        help="Buy-out: the day the device was bought. Extension: the first day "
        "of the extension.",
    )
    date_returned = fields.Date(
        string="Returned On",
        copy=False,
        readonly=True,
        help="Day the lessor took the device back (confirmed receipt, or pickup "
        "when the lease terms say so). A device still on lease after its end "
        "date is charged until this day.",
    )
    decision_user_id = fields.Many2one("res.users", copy=False, readonly=True)
    buyout_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Buy-out Bill",
        copy=False,
        readonly=True,
    )
    extension_line_id = fields.Many2one(
        comodel_name="it.lease.line",
        string="Extended By",
        copy=False,
        readonly=True,
        help="The line of the extension schedule that continues this device.",
    )
    continued_by_id = fields.Many2one(
        comodel_name="it.lease.line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The line that continues this one at a new rent from a date.",
    )
    date_charged_until = fields.Date(
        string="Charged Until",
        compute="_compute_date_charged_until",
        store=True,
        index=True,
        help="Last day the device is charged on this line. Empty while the rent "
        "runs on after the end date until the device is returned.",
    )
    is_overdue = fields.Boolean(
        string="Undecided After End",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_start <= date_end)",
            "A lease line cannot end before it starts.",
        ),
        (
            "monthly_rent_positive",
            "CHECK(monthly_rent >= 0)",
            "The monthly rent cannot be negative.",
        ),
    ]

    # Only the schedule, not its dates: the schedule moves the lines that
    # follow its period itself (see its write()).
    @api.depends("schedule_id")
    def _compute_date_start(self):
        for line in self:
            if not line.date_start:
                line.date_start = line.schedule_id.date_start

    @api.depends("schedule_id")
    def _compute_date_end(self):
        for line in self:
            if not line.date_end:
                line.date_end = line.schedule_id.date_end

    @api.depends(
        "date_end",
        "end_decision",
        "date_decision_effective",
        "date_returned",
        "continued_by_id",
        "schedule_id.rent_continues",
    )
    def _compute_date_charged_until(self):
        for line in self:
            line.date_charged_until = line._get_charged_until()

    def _get_charged_until(self):
        """The last day this line is charged, or False while it runs on.

        The one definition of the days a lease line is charged: charging, the
        reconciliation, the overlap check, the warnings and the reports read
        the stored result (see ``tools/lease_rules.py``)."""
        self.ensure_one()
        if self.continued_by_id:
            return self.date_end
        if self.end_decision == "buy_out":
            return self.date_decision_effective or self.date_end
        runs_on = self.schedule_id.rent_continues
        if self.end_decision == "extend":
            if runs_on and self.date_decision_effective:
                return max(
                    self.date_end,
                    fields.Date.subtract(self.date_decision_effective, days=1),
                )
            return self.date_end
        if not runs_on or not self.date_end:
            return self.date_end
        if self.date_returned:
            return max(self.date_end, self.date_returned)
        return False

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.is_overdue = (
                not line.end_decision
                and line.state in ("active", "ended")
                and line.date_end < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on this field."))
        domain = [
            ("end_decision", "=", False),
            ("state", "in", ("active", "ended")),
            ("date_end", "<", fields.Date.context_today(self)),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", "&", *domain]

    @api.constrains("date_start", "schedule_id")
    def _check_within_schedule(self):
        for line in self:
            if line.date_start < line.schedule_id.date_start:
                raise ValidationError(
                    self.env._(
                        "Device %(device)s cannot start on %(date)s, before its "
                        "schedule %(schedule)s starts (%(schedule_start)s).",
                        device=line.equipment_id.display_name,
                        date=line.date_start,
                        schedule=line.schedule_id.name,
                        schedule_start=line.schedule_id.date_start,
                    )
                )

    @api.constrains(
        "equipment_id",
        "date_start",
        "date_end",
        "schedule_id",
        "end_decision",
        "date_decision_effective",
        "date_returned",
        "continued_by_id",
    )
    def _check_no_overlap(self):
        """A device is leased once at a time: refuse lease lines charged on
        the same day, a line that runs on after its end date included."""
        if is_internal(self.env, RENT_CHANGE):
            return  # checked once both halves of the change are written
        lines = self.filtered(lambda line: line.state != "cancelled")
        if not lines:
            return
        self.flush_model()
        # One query for the whole batch: an import of thousands of lines must
        # not cost one search per line.
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id, b.id
                  FROM it_lease_line a
                  JOIN it_lease_line b
                    ON b.equipment_id = a.equipment_id
                   AND b.id != a.id
                   AND %s
                 WHERE a.id = ANY(%s)
                   AND b.state != 'cancelled'
                 LIMIT 1
                """,
                lease_rules.charged_between(
                    "b", SQL("a.date_start"), lease_rules.charged_until("a")
                ),
                lines.ids,
            )
        )
        row = self.env.cr.fetchone()
        if row:
            line, other = self.browse(row)
            raise ValidationError(
                self.env._(
                    "Device %(device)s is already leased on schedule %(other)s "
                    "from %(other_start)s %(other_end)s, which overlaps its line "
                    "on schedule %(schedule)s (%(start)s to %(end)s).",
                    device=line.equipment_id.display_name,
                    other=other.schedule_id.name,
                    other_start=other.date_start,
                    other_end=other._describe_charged_until(),
                    schedule=line.schedule_id.name,
                    start=line.date_start,
                    end=line.date_charged_until or line.date_end,
                )
            )

    def _describe_charged_until(self):
        self.ensure_one()
        if self.date_charged_until:
            return self.env._("to %(date)s", date=self.date_charged_until)
        return self.env._(
            "and after its end date %(date)s, until it is returned (the rent "
            "continues until the lessor takes it back; decide its lease end first)",
            date=self.date_end,
        )

    # Posted months stay true

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

    @api.model_create_multi
    def create(self, vals_list):
        model = system_create(
            self,
            # A rent change's own step writes its new half.
            [] if is_internal(self.env, RENT_CHANGE) else vals_list,
            LINE_SYSTEM_FIELDS,
        )
        lines = super(ItLeaseLine, model).create(vals_list)
        charged = lines.filtered(lambda line: line.state in CHARGED_SCHEDULE_STATES)
        if charged:
            charged._check_company_month_open(min(charged.mapped("date_start")))
        return lines

    def write(self, vals):
        if not is_internal(self.env, RENT_CHANGE):
            refuse_system_writes(self, vals, LINE_SYSTEM_FIELDS)
        if not CHARGE_FIELDS & vals.keys():
            return super().write(vals)
        before = {line: line._get_charge_facts() for line in self}
        res = super().write(vals)
        self.flush_recordset()
        self._check_posted_charges_from(
            {
                line: self._first_changed_day(facts, line._get_charge_facts())
                for line, facts in before.items()
                if line.state in CHARGED_SCHEDULE_STATES
            }
        )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_charged(self):
        charged = self.env["it.charge.line"].search(
            [("lease_line_id", "in", self.ids)], limit=1
        )
        if charged:
            raise UserError(
                self.env._(
                    "Device %(device)s on schedule %(schedule)s has been charged "
                    "(charge run %(run)s): its lease line is kept as the record of "
                    "what was charged. End it or cancel the schedule instead.",
                    device=charged.lease_line_id.equipment_id.display_name,
                    schedule=charged.lease_line_id.schedule_id.name,
                    run=charged.run_id.name,
                )
            )

    def _get_month_span(self):
        """Return (offset, months): whole months from the schedule start to the
        line start, and the number of monthly rents the line pays (a started
        month counts as a rent)."""
        self.ensure_one()
        offset = relativedelta(self.date_start, self.schedule_id.date_start)
        span = relativedelta(self.date_end + relativedelta(days=1), self.date_start)
        months = span.years * 12 + span.months + (1 if span.days else 0)
        return offset.years * 12 + offset.months, months

    def _present_value_of_rent(self):
        """Present value, at the schedule start, of this line's monthly rents.

        The annual rate is converted to a nominal monthly rate (rate / 12), as
        in a spreadsheet's PV(rate/12; n; payment). Rents paid in advance are
        discounted from the month they cover starts, in arrears one month later.
        """
        self.ensure_one()
        schedule = self.schedule_id
        if not (self.date_start and self.date_end and schedule.date_start):
            return 0.0
        offset, months = self._get_month_span()
        rate = schedule.discount_rate / 100 / 12
        first = offset if schedule.payment_timing == "advance" else offset + 1
        return self.monthly_rent * sum(
            (1 + rate) ** -period for period in range(first, first + months)
        )

    # End-of-lease decisions

    def _get_decision_values(self, decision):
        return {
            "end_decision": decision,
            "decision_date": fields.Date.context_today(self),
            "decision_user_id": self.env.uid,
        }

    def _check_undecided(self):
        decided = self.filtered("end_decision")
        if decided:
            raise UserError(
                self.env._(
                    "Already decided: %(devices)s.",
                    devices=", ".join(decided.mapped("equipment_id.display_name")),
                )
            )

    def _decide_return(self):
        """Return the devices at lease end: the devices are marked for return;
        the lease line is charged until its end date, or, when the rent
        continues until the device is returned, until the lessor takes it back
        (see :meth:`_register_return`)."""
        self._check_undecided()
        self.with_env(internal(self.env)).write(self._get_decision_values("return"))
        self.equipment_id.write({"return_requested": True})
        return True

    def _register_return(self, date_returned):
        """Record that the lessor took these devices back on ``date_returned``:
        a line that runs on after its end date is charged until that day.

        A receipt confirmed late may fall in a month already charged and
        posted: the posted month stays true, so the charge then stops after
        the last posted day instead (reverse that month to charge less)."""
        last_posted = self._get_last_posted_charge_days()
        for line in self:
            last = last_posted.get(line.id)
            day = max(date_returned, last) if last else date_returned
            line.with_env(internal(self.env)).write({"date_returned": day})
            if day != date_returned:
                log_note(
                    line.schedule_id,
                    body=self.env._(
                        "Device %(device)s was taken back on %(date)s, but it is "
                        "charged in posted months until %(last)s: its charge stops "
                        "then. Reverse those months to charge it less.",
                        device=line.equipment_id.display_name,
                        date=date_returned,
                        last=day,
                    ),
                )
        return True

    def _get_last_posted_charge_days(self):
        """{lease line id: last day charged in a posted run}."""
        if not self.ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT charge.lease_line_id, MAX(charge.date_to)
              FROM it_charge_line charge
              JOIN it_charge_run run ON run.id = charge.run_id AND run.state = 'posted'
             WHERE charge.lease_line_id = ANY(%s)
          GROUP BY charge.lease_line_id
            """,
            [self.ids],
        )
        return dict(self.env.cr.fetchall())

    def _decide_buy_out(self, date_bought=None):
        """Buy the devices out at their residual value on ``date_bought``
        (default today): the lease lines are charged until that day, the
        devices become owned, and one draft vendor bill per lessor and currency
        asks the lessor's price."""
        self._check_undecided()
        date_bought = date_bought or fields.Date.context_today(self)
        for line in self:
            if date_bought < line.date_start:
                raise UserError(
                    self.env._(
                        "Device %(device)s: the buy-out date %(date)s is before "
                        "its lease started (%(start)s).",
                        device=line.equipment_id.display_name,
                        date=date_bought,
                        start=line.date_start,
                    )
                )
        bills = self.env["account.move"]
        for (lessor, company, currency), lines in self.grouped(
            lambda line: (line.lessor_id, line.company_id, line.currency_id)
        ).items():
            lines.with_env(internal(self.env)).write(
                dict(
                    self._get_decision_values("buy_out"),
                    date_decision_effective=date_bought,
                )
            )
            # The IT leasing manager decides; accounting checks and posts the
            # draft bill, so creating it needs no accounting rights.
            bill = (
                self.env["account.move"]
                .sudo()
                .create(
                    lines._prepare_buyout_bill_vals(
                        lessor, company, currency, date_bought
                    )
                )
            )
            lines.with_env(internal(self.env)).write({"buyout_move_id": bill.id})
            lines.equipment_id.write({"is_owned": True, "return_requested": False})
            bills |= bill
        return bills

    def _prepare_buyout_bill_vals(self, lessor, company, currency, date_bought):
        account = company.it_buyout_account_id
        if not account:
            raise UserError(
                self.env._(
                    "Choose the buy-out account of %(company)s in the IT Leasing "
                    "settings first.",
                    company=company.name,
                )
            )
        return {
            "move_type": "in_invoice",
            "partner_id": lessor.id,
            "company_id": company.id,
            "currency_id": currency.id,
            "invoice_date": date_bought,
            "ref": self.env._(
                "Buy-out %(schedules)s",
                schedules=", ".join(sorted(set(self.schedule_id.mapped("name")))),
            ),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self.env._(
                            "Buy-out of %(device)s (schedule %(schedule)s)",
                            device=line.equipment_id.display_name,
                            schedule=line.schedule_id.name,
                        ),
                        "quantity": 1,
                        "price_unit": line.residual_value,
                        "account_id": account.id,
                        "tax_ids": [Command.clear()],
                    }
                )
                for line in self
            ],
        }

    def _decide_extend(self, date_from, date_end, monthly_rents):
        """Extend the lease from ``date_from`` to ``date_end`` at the new
        monthly rents (``{line: rent}``) on an extension schedule (annex) of
        the same master agreement; the original schedule stays as it was.
        Returns the new lease lines."""
        self._check_undecided()
        new_lines = self.browse()
        for schedule, lines in self.grouped("schedule_id").items():
            for line in lines:
                if date_from <= line.date_end or date_end < date_from:
                    raise UserError(
                        self.env._(
                            "Device %(device)s: an extension starts after the "
                            "current term ends (%(end)s) and ends after it starts.",
                            device=line.equipment_id.display_name,
                            end=line.date_end,
                        )
                    )
            lines.with_env(internal(self.env)).write(
                dict(
                    self._get_decision_values("extend"),
                    date_decision_effective=date_from,
                )
            )
            extension = schedule._get_extension_schedule(date_from, date_end)
            created = self.create(
                [
                    {
                        "schedule_id": extension.id,
                        "equipment_id": line.equipment_id.id,
                        "date_start": date_from,
                        "date_end": date_end,
                        "monthly_rent": monthly_rents.get(line, line.monthly_rent),
                        "residual_value": line.residual_value,
                    }
                    for line in lines
                ]
            )
            for line, new_line in zip(lines, created, strict=True):
                line.with_env(internal(self.env)).extension_line_id = new_line
            # The devices' value when extended: their buy-out price.
            extension.fair_value = sum(extension.line_ids.mapped("residual_value"))
            if extension.state == "draft":
                extension.action_activate()
            new_lines |= created
        return new_lines

    def action_change_rent(self):
        check_groups(self, self.env._("change a rent"), IT_MANAGER)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Rent"),
            "res_model": "it.lease.rent.change",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_lease_line_id": self.id,
                "default_monthly_rent": self.monthly_rent,
            },
        }

    def _change_rent(self, date_from, monthly_rent):
        """Change the monthly rent from ``date_from`` on: the line ends the day
        before and a new line continues it at the new rent, so no posted month
        changes. From the line's first day, the rent itself is changed."""
        check_groups(self, self.env._("change a rent"), IT_MANAGER)
        new_lines = self.browse()
        for line in self:
            if date_from <= line.date_start:
                line.monthly_rent = monthly_rent
                new_lines |= line
                continue
            if line.date_charged_until and date_from > line.date_charged_until:
                raise UserError(
                    self.env._(
                        "Device %(device)s is not charged after %(date)s: there is "
                        "no rent to change from %(from)s.",
                        device=line.equipment_id.display_name,
                        date=line.date_charged_until,
                        **{"from": date_from},
                    )
                )
            date_end = line.date_end
            values = line.copy_data(
                {
                    "date_start": date_from,
                    "date_end": max(date_end, date_from),
                    "monthly_rent": monthly_rent,
                }
            )[0]
            for field in ("end_decision", "decision_date", "decision_user_id"):
                values[field] = line[field].id if field.endswith("_id") else line[field]
            values["date_decision_effective"] = line.date_decision_effective
            values["date_returned"] = line.date_returned
            # The running line stops the day before; its successor is
            # created in the same step so the device is never charged twice.
            changing = internal(self.env, RENT_CHANGE)
            line.with_env(changing).write(
                {"date_end": fields.Date.subtract(date_from, days=1)}
            )
            new_line = self.with_env(changing).create(values)
            line.with_env(changing).continued_by_id = new_line
            (line | new_line)._check_no_overlap()
            new_lines |= new_line
        return new_lines
