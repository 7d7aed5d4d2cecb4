# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


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
        index=True,
        help="Empty while undecided: an undecided device keeps being charged after "
        "its end date, as the lessor keeps billing it.",
    )
    decision_date = fields.Date(copy=False, readonly=True)
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

    @api.constrains("equipment_id", "date_start", "date_end", "schedule_id")
    def _check_no_overlap(self):
        """A device is leased once at a time: refuse overlapping lease lines."""
        lines = self.filtered(lambda line: line.state != "cancelled")
        if not lines:
            return
        self.flush_model(["equipment_id", "date_start", "date_end", "state"])
        # One query for the whole batch: an import of thousands of lines must
        # not cost one search per line.
        self.env.cr.execute(
            """
            SELECT a.id, b.id
              FROM it_lease_line a
              JOIN it_lease_line b
                ON b.equipment_id = a.equipment_id
               AND b.id != a.id
               AND b.date_start <= a.date_end
               AND a.date_start <= b.date_end
             WHERE a.id = ANY(%s)
               AND b.state != 'cancelled'
             LIMIT 1
            """,
            [lines.ids],
        )
        row = self.env.cr.fetchone()
        if row:
            line, other = self.browse(row)
            raise ValidationError(
                self.env._(
                    "Device %(device)s is already leased on schedule %(other)s "
                    "from %(other_start)s to %(other_end)s, which overlaps its line "
                    "on schedule %(schedule)s (%(start)s to %(end)s).",
                    device=line.equipment_id.display_name,
                    other=other.schedule_id.name,
                    other_start=other.date_start,
                    other_end=other.date_end,
                    schedule=line.schedule_id.name,
                    start=line.date_start,
                    end=line.date_end,
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
        """Return the devices at lease end: the lease line ends on its end
        date and the device is marked for return."""
        self._check_undecided()
        self.write(self._get_decision_values("return"))
        self.equipment_id.write({"return_requested": True})

    def _register_return(self, date_returned):
        """Record that the lessor took these devices back on ``date_returned``:
        a line that runs on after its end date is charged until that day."""
        self.write({"date_returned": date_returned})
        return True

    def _decide_buy_out(self):
        """Buy the devices out at their residual value: one draft vendor bill
        per lessor; the lease lines end and the devices become owned."""
        self._check_undecided()
        bills = self.env["account.move"]
        for (lessor, company), lines in self.grouped(
            lambda line: (line.lessor_id, line.company_id)
        ).items():
            # The IT leasing manager decides; accounting checks and posts the
            # draft bill, so creating it needs no accounting rights.
            bill = (
                self.env["account.move"]
                .sudo()
                .create(lines._prepare_buyout_bill_vals(lessor, company))
            )
            lines.write(
                dict(self._get_decision_values("buy_out"), buyout_move_id=bill.id)
            )
            lines.equipment_id.write({"is_owned": True, "return_requested": False})
            bills |= bill
        return bills

    def _prepare_buyout_bill_vals(self, lessor, company):
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
            "currency_id": self[:1].currency_id.id,
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
        """Extend the lease: from ``date_from`` to ``date_end`` at the new
        monthly rent (``{line: rent}``); the running line ends the day before."""
        self._check_undecided()
        new_lines = self.browse()
        for line in self:
            if date_from <= line.date_start or date_end < date_from:
                raise UserError(
                    self.env._(
                        "Device %(device)s: an extension must start after the lease "
                        "line starts (%(start)s) and end after it starts.",
                        device=line.equipment_id.display_name,
                        start=line.date_start,
                    )
                )
            line.write(
                dict(
                    self._get_decision_values("extend"),
                    date_end=fields.Date.subtract(date_from, days=1),
                )
            )
            new_line = line.copy(
                {
                    "date_start": date_from,
                    "date_end": date_end,
                    "monthly_rent": monthly_rents.get(line, line.monthly_rent),
                }
            )
            line.extension_line_id = new_line
            new_lines |= new_line
        return new_lines
