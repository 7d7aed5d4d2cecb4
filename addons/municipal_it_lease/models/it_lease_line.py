# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import lease_rules
from ..tools.lease_rules import CHARGED_SCHEDULE_STATES

# A rent change writes its two halves (the running line ends, a new one
# continues it) before checking them together: under sudo, this context key
# defers the overlap check of what it writes (see ``_defer_overlap_check``).
RENT_CHANGE = "it_lease_rent_change"
# The lease lines whose overlap check is deferred, in the cursor's precommit.
DEFERRED_OVERLAP = "it.lease.line.deferred_overlap"

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


class ItLeaseLine(models.Model):
    """One leased device on a schedule: what it costs each month and when."""

    _name = "it.lease.line"
    _inherit = ["it.system.fields.mixin"]
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
    # it_system: set by the end-of-lease decisions, the return, a rent change
    # and the schedule (its state, lessor and company), or computed (the last
    # day charged); never written by hand, so that what is charged follows the
    # steps that decide it.
    company_id = fields.Many2one(
        related="schedule_id.company_id",
        store=True,
        index=True,
        precompute=True,
        it_system=True,
    )
    currency_id = fields.Many2one(related="schedule_id.currency_id")
    lessor_id = fields.Many2one(
        related="schedule_id.lessor_id", store=True, it_system=True
    )
    state = fields.Selection(
        related="schedule_id.state", store=True, index=True, it_system=True
    )
    notice_date = fields.Date(
        related="schedule_id.notice_date",
        store=True,
        it_system=True,
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
        it_system=True,
        index=True,
        help="Empty while undecided. When the schedule's terms say the rent "
        "continues until the device is returned, an undecided device (or one "
        "decided for return but not yet taken back) keeps being charged after "
        "its end date, as the lessor keeps billing it.",
    )
    decision_date = fields.Date(copy=False, readonly=True, it_system=True)
    date_decision_effective = fields.Date(
        string="Decision Effective On",
        copy=False,
        readonly=True,
        it_system=True,
        help="Buy-out: the day the device was bought. Extension: the first day "
        "of the extension.",
    )
    date_returned = fields.Date(
        string="Returned On",
        copy=False,
        readonly=True,
        it_system=True,
        help="Day the lessor took the device back (confirmed receipt, or pickup "
        "when the lease terms say so). A device still on lease after its end "
        "date is charged until this day.",
    )
    decision_user_id = fields.Many2one(
        "res.users", copy=False, readonly=True, it_system=True
    )
    buyout_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Buy-out Bill",
        copy=False,
        readonly=True,
        it_system=True,
    )
    extension_line_id = fields.Many2one(
        comodel_name="it.lease.line",
        string="Extended By",
        copy=False,
        readonly=True,
        it_system=True,
        help="The line of the extension schedule that continues this device.",
    )
    continued_by_id = fields.Many2one(
        comodel_name="it.lease.line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        it_system=True,
        help="The line that continues this one at a new rent from a date.",
    )
    date_charged_until = fields.Date(
        string="Charged Until",
        compute="_compute_date_charged_until",
        store=True,
        index=True,
        it_system=True,
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
        if self.env.su and self.env.context.get(RENT_CHANGE):
            self._defer_overlap_check()
            return
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

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        charged = lines.filtered(lambda line: line.state in CHARGED_SCHEDULE_STATES)
        if charged:
            charged._check_company_month_open(min(charged.mapped("date_start")))
        return lines

    def write(self, vals):
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
