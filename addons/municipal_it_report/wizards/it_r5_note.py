# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

LEASE_TYPES = ("financial", "operational")

# The note's rows, in the order Swedish annual reports print them.
ROWS = (
    "paid",
    "due_1y",
    "due_1_5y",
    "due_after_5y",
    "future_total",
    "present_value",
    "liability_short",
    "liability_long",
    "interest",
)


class ItR5Note(models.TransientModel):
    """The RKR R5 leasing note of the annual report, as of a date: fees paid
    in the year and contracted future fees, per lease type."""

    _name = "it.r5.note"
    _description = "RKR R5 Leasing Note"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_to = fields.Date(
        string="As of",
        required=True,
        default=lambda self: self._default_date_to(),
        help="Usually the last day of the fiscal year; fees paid are counted "
        "from the start of the fiscal year containing this date.",
    )
    date_from = fields.Date(
        string="Fiscal Year Start", compute="_compute_date_from", store=True
    )
    line_ids = fields.One2many("it.r5.note.line", "note_id", string="Note")

    def _default_date_to(self):
        today = fields.Date.context_today(self)
        return self.env.company.compute_fiscalyear_dates(today)["date_to"]

    @api.depends("company_id", "date_to")
    def _compute_date_from(self):
        for note in self:
            note.date_from = (
                note.date_to
                and note.company_id.compute_fiscalyear_dates(note.date_to)["date_from"]
            )

    def action_compute(self):
        """Compute the note and show it."""
        self.ensure_one()
        figures = self._get_figures()
        labels = self._get_row_labels()
        self.line_ids = [Command.clear()] + [
            Command.create(
                {
                    "sequence": index,
                    "code": row,
                    "name": labels[row],
                    "financial": figures["financial"][row],
                    "operational": figures["operational"][row],
                }
            )
            for index, row in enumerate(ROWS)
        ]
        # The dialog keeps its title (the menu's action name).
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_report.it_r5_note_action"
        )
        action["res_id"] = self.id
        return action

    def action_print_xlsx(self):
        self.ensure_one()
        if not self.line_ids:
            self.action_compute()
        return self.env.ref("municipal_it_report.it_r5_note_report_xlsx").report_action(
            self
        )

    def _get_row_labels(self):
        _ = self.env._
        return {
            "paid": _("Lease fees paid in the year"),
            "due_1y": _("Contracted future lease fees due within 1 year"),
            "due_1_5y": _("Contracted future lease fees due in 1-5 years"),
            "due_after_5y": _("Contracted future lease fees due after 5 years"),
            "future_total": _("Total contracted future lease fees"),
            "present_value": _("Present value of future lease fees"),
            "liability_short": _("of which short-term liability"),
            "liability_long": _("of which long-term liability"),
            "interest": _("Interest part of future lease fees"),
        }

    # Computation

    def _get_figures(self):
        """``{lease type: {row: amount}}`` for the note, rounded to the
        currency."""
        self.ensure_one()
        figures = {kind: dict.fromkeys(ROWS, 0.0) for kind in LEASE_TYPES}
        year_end_1 = self.date_to + relativedelta(years=1)
        year_end_5 = self.date_to + relativedelta(years=5)
        billed = self._get_billed_fees()
        for kind, amount in billed["paid"].items():
            figures[kind]["paid"] += amount
        for line in self._get_lease_lines():
            schedule = line.schedule_id
            kind = self._get_lease_type(schedule)
            rate = schedule.discount_rate / 100 / 12
            for due, pay_point, amount in self._get_payments(line):
                if due <= self.date_to:
                    month = due.replace(day=1)
                    if (
                        due >= self.date_from
                        and (line.lessor_id, month) not in billed["months"]
                    ):
                        figures[kind]["paid"] += amount
                    continue
                row = figures[kind]
                if due <= year_end_1:
                    row["due_1y"] += amount
                elif due <= year_end_5:
                    row["due_1_5y"] += amount
                else:
                    row["due_after_5y"] += amount
                row["future_total"] += amount
                if kind != "financial":
                    continue
                periods = self._months_between(self.date_to, pay_point)
                row["present_value"] += amount * (1 + rate) ** -periods
                if due > year_end_1:
                    # Still owed a year from now: the long-term liability is
                    # its value then.
                    row["liability_long"] += amount * (1 + rate) ** -(periods - 12)
        financial = figures["financial"]
        financial["liability_short"] = (
            financial["present_value"] - financial["liability_long"]
        )
        financial["interest"] = financial["future_total"] - financial["present_value"]
        currency = self.company_id.currency_id
        return {
            kind: {row: currency.round(amount) for row, amount in rows.items()}
            for kind, rows in figures.items()
        }

    def _get_lease_lines(self):
        # Cancelled and draft schedules are no contract; ended ones may still
        # have lines running (undecided, extended).
        return self.env["it.lease.line"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("active", "ended")),
                ("date_end", ">=", self.date_from),
            ]
        )

    def _get_lease_type(self, schedule):
        """The schedule's R5 type in the note: operational when a relief of
        the company applies or when it could not be classified."""
        company = self.company_id
        if schedule.r5_classification != "financial":
            return "operational"
        if company.it_r5_relief_max_months and (
            schedule.term_months <= company.it_r5_relief_max_months
        ):
            return "operational"
        if company.it_r5_relief_value_threshold and schedule.line_count:
            per_device = schedule.fair_value / schedule.line_count
            if per_device <= company.it_r5_relief_value_threshold:
                return "operational"
        return "financial"

    @api.model
    def _get_payments(self, line):
        """The line's monthly rents as ``(due date, pay point, amount)``: in
        advance a rent is due the day its month starts, in arrears the day it
        ends; the pay point is the day the discounting counts from (the first
        day of the month after for rents in arrears). A started month is a
        whole rent, as in the lease addon's present value."""
        _offset, months = line._get_month_span()
        arrears = line.schedule_id.payment_timing == "arrears"
        for index in range(months):
            start = line.date_start + relativedelta(months=index)
            if arrears:
                pay_point = line.date_start + relativedelta(months=index + 1)
                yield pay_point - relativedelta(days=1), pay_point, line.monthly_rent
            else:
                yield start, start, line.monthly_rent

    @api.model
    def _months_between(self, as_of, pay_point):
        """Whole months from the day after ``as_of`` to ``pay_point``."""
        span = relativedelta(pay_point, as_of + relativedelta(days=1))
        return span.years * 12 + span.months

    def _get_billed_fees(self):
        """Fees paid according to the lessors' posted vendor bills, through
        their reconciled invoice specifications: ``{"paid": {type: amount},
        "months": {(lessor, month)}}``; those months are not taken from the
        schedules."""
        reconciliations = (
            self.env["it.lease.reconciliation"]
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("date_from", ">=", self.date_from.replace(day=1)),
                    ("date_from", "<=", self.date_to),
                    ("vendor_bill_id", "!=", False),
                ]
            )
            .filtered(
                # The IT manager may have no accounting rights: only the bill's
                # state is read.
                lambda rec: rec.vendor_bill_id.sudo().state == "posted"
            )
        )
        paid = defaultdict(float)
        schedules = self.env["it.lease.schedule"].search(
            [("company_id", "=", self.company_id.id)]
        )
        by_name = {schedule.name: schedule for schedule in schedules}
        for line in reconciliations.line_ids:
            schedule = line.lease_line_id.schedule_id or by_name.get(line.schedule_ref)
            kind = self._get_lease_type(schedule) if schedule else "operational"
            paid[kind] += line.invoiced_amount
        return {
            "paid": paid,
            "months": {(rec.lessor_id, rec.date_from) for rec in reconciliations},
        }


class ItR5NoteLine(models.TransientModel):
    _name = "it.r5.note.line"
    _description = "RKR R5 Leasing Note Row"
    _order = "sequence"

    note_id = fields.Many2one("it.r5.note", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="note_id.currency_id")
    sequence = fields.Integer()
    code = fields.Char()
    name = fields.Char(string="Item")
    financial = fields.Monetary(string="Financial Leases")
    operational = fields.Monetary(string="Operational Leases")
