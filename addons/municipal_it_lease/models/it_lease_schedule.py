# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..tools.access import IT_MANAGER, check_groups
from ..tools.activity import schedule_activity
from ..tools.guard import internal, refuse_system_writes, system_create
from ..tools.lease_rules import CHARGED_SCHEDULE_STATES

# Set by the schedule's buttons (its state) or computed from its terms (what
# the warnings, the charge and the R5 note read): never written by hand.
SCHEDULE_SYSTEM_FIELDS = {
    "state",
    "date_end",
    "notice_date",
    "lessor_id",
    "pv_minimum_lease_payments",
    "r5_computed_classification",
    "r5_classification",
}

# RKR R5: a lease is financial when the present value of the minimum lease
# payments exceeds this share of the asset's fair value at the start.
R5_FINANCIAL_THRESHOLD = 0.8


class ItLeaseSchedule(models.Model):
    """A lease schedule (annex) under a master agreement: a batch of devices
    leased from the same start date for the same term."""

    _name = "it.lease.schedule"
    _description = "IT Lease Schedule"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, tracking=True)
    lessor_reference = fields.Char(
        string="Lessor's Reference",
        tracking=True,
        index="btree_not_null",
        help='The lessor\'s number of this annex (e.g. "Bilaga 1"), as its '
        "invoice specification names it.",
    )
    agreement_id = fields.Many2one(
        comodel_name="it.lease.agreement",
        string="Master Agreement",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
    )
    lessor_id = fields.Many2one(
        related="agreement_id.lessor_id", store=True, string="Lessor", index=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("active", "Active"),
            ("ended", "Ended"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    term_months = fields.Integer(
        string="Term (months)", required=True, default=36, tracking=True
    )
    date_end = fields.Date(
        string="End Date",
        compute="_compute_date_end",
        store=True,
        help="Last day of the lease: start date plus the term, minus one day.",
    )
    notice_date = fields.Date(
        string="Notice Deadline",
        compute="_compute_notice_date",
        store=True,
        help="Last day on which the lessor can be told what happens at lease end: "
        "the end date minus the notice period.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        help="Receives the lease-end warnings of this schedule.",
    )
    undecided_count = fields.Integer(
        string="Undecided Devices", compute="_compute_decision_state"
    )
    decision_state = fields.Selection(
        selection=[
            ("undecided", "Undecided"),
            ("partial", "Partly decided"),
            ("decided", "Decided"),
        ],
        compute="_compute_decision_state",
    )
    is_overdue = fields.Boolean(
        string="Ended Undecided",
        compute="_compute_decision_state",
        search="_search_is_overdue",
        help="The end date has passed and some devices are still undecided: they "
        "keep being charged until decided.",
    )
    warning_ids = fields.One2many("it.lease.warning", "schedule_id", string="Warnings")
    notice_period_days = fields.Integer(
        string="Notice Period (days)",
        default=90,
        help="Days before the end date by which the lessor must be told whether "
        "devices are returned, bought out or extended.",
    )
    end_option = fields.Selection(
        selection=[
            ("return", "Return"),
            ("buy_out", "Buy out"),
            ("extend", "Extend"),
        ],
        string="Default End-of-Lease Option",
        default="return",
        required=True,
        help="What happens to devices nobody decided on at lease end.",
    )
    rent_continues = fields.Boolean(
        string="Rent Continues Until Returned",
        default=True,
        tracking=True,
        help="The lessor's usual term: after the end date, the rent of a device "
        "not bought out or extended continues month by month until the lessor "
        "takes it back. Untick when the contract ends the rent on the end date.",
    )
    extends_schedule_id = fields.Many2one(
        comodel_name="it.lease.schedule",
        string="Extends",
        readonly=True,
        index="btree_not_null",
        check_company=True,
        help="The schedule whose devices this extension annex continues.",
    )
    extension_ids = fields.One2many(
        "it.lease.schedule", "extends_schedule_id", string="Extensions"
    )
    extension_count = fields.Integer(compute="_compute_extension_count")
    end_option_terms = fields.Text(
        string="End-of-Lease Terms",
        help="Contract terms for returning, buying out (price basis) and "
        "extending (rent, minimum period).",
    )
    line_ids = fields.One2many("it.lease.line", "schedule_id", string="Lease Lines")
    line_count = fields.Integer(string="Device Count", compute="_compute_totals")
    monthly_rent_total = fields.Monetary(
        string="Monthly Rent", compute="_compute_totals"
    )

    # RKR R5 classification
    fair_value = fields.Monetary(
        string="Fair Value at Start",
        tracking=True,
        help="Fair value of the leased devices at the start of the lease, "
        "normally the purchase price paid by the lessor.",
    )
    discount_rate = fields.Float(
        string="Annual Discount Rate (%)",
        digits=(16, 4),
        tracking=True,
        help="The interest rate implicit in the lease, or the municipality's "
        "incremental borrowing rate when that is not known.",
    )
    payment_timing = fields.Selection(
        selection=[("advance", "In advance"), ("arrears", "In arrears")],
        default="advance",
        required=True,
        help="Whether each monthly rent is paid at the start or at the end of "
        "the month it covers.",
    )
    pv_minimum_lease_payments = fields.Monetary(
        string="PV of Minimum Lease Payments",
        compute="_compute_pv_minimum_lease_payments",
        store=True,
    )
    r5_computed_classification = fields.Selection(
        selection="_selection_r5_classification",
        string="Computed R5 Classification",
        compute="_compute_r5_computed_classification",
        store=True,
    )
    r5_classification_override = fields.Selection(
        selection="_selection_r5_classification",
        string="R5 Override",
        tracking=True,
        help="Set only when the contract terms make the lease financial or "
        "operational regardless of the 80 % test; a reason is required.",
    )
    r5_override_reason = fields.Text(string="Override Reason", tracking=True)
    r5_classification = fields.Selection(
        selection="_selection_r5_classification",
        compute="_compute_r5_classification",
        store=True,
        tracking=True,
    )
    note = fields.Html()

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A schedule reference must be unique per company.",
        ),
        (
            "term_months_positive",
            "CHECK(term_months > 0)",
            "The lease term must be at least one month.",
        ),
        (
            "notice_period_days_positive",
            "CHECK(notice_period_days >= 0)",
            "The notice period cannot be negative.",
        ),
    ]

    @api.model
    def _selection_r5_classification(self):
        return [
            ("financial", self.env._("Financial lease")),
            ("operational", self.env._("Operational lease")),
        ]

    @api.depends("agreement_id")
    def _compute_currency_id(self):
        for schedule in self:
            schedule.currency_id = (
                schedule.agreement_id.currency_id
                or schedule.currency_id
                or self.env.company.currency_id
            )

    @api.depends("date_start", "term_months")
    def _compute_date_end(self):
        for schedule in self:
            if schedule.date_start and schedule.term_months > 0:
                schedule.date_end = schedule.date_start + relativedelta(
                    months=schedule.term_months, days=-1
                )
            else:
                schedule.date_end = False

    @api.depends("date_end", "notice_period_days")
    def _compute_notice_date(self):
        for schedule in self:
            schedule.notice_date = schedule.date_end and fields.Date.subtract(
                schedule.date_end, days=schedule.notice_period_days
            )

    @api.depends("line_ids.end_decision", "date_end", "state")
    def _compute_decision_state(self):
        today = fields.Date.context_today(self)
        for schedule in self:
            undecided = schedule.line_ids.filtered(lambda line: not line.end_decision)
            schedule.undecided_count = len(undecided)
            if not undecided:
                schedule.decision_state = "decided"
            elif len(undecided) < len(schedule.line_ids):
                schedule.decision_state = "partial"
            else:
                schedule.decision_state = "undecided"
            schedule.is_overdue = bool(
                undecided
                and schedule.state in ("active", "ended")
                and schedule.date_end
                and schedule.date_end < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on this field."))
        positive = (operator == "=") == value
        return [
            ("line_ids", "any" if positive else "not any", [("is_overdue", "=", True)])
        ]

    @api.depends("line_ids.monthly_rent", "line_ids.continued_by_id")
    def _compute_totals(self):
        for schedule in self:
            # A rent changed from a date continues the device on a new line:
            # the device counts once, at its latest rent.
            current = schedule.line_ids.filtered(lambda line: not line.continued_by_id)
            schedule.line_count = len(current.equipment_id)
            schedule.monthly_rent_total = sum(current.mapped("monthly_rent"))

    @api.depends("extension_ids")
    def _compute_extension_count(self):
        for schedule in self:
            schedule.extension_count = len(schedule.extension_ids)

    @api.depends(
        "date_start",
        "discount_rate",
        "payment_timing",
        "line_ids.monthly_rent",
        "line_ids.date_start",
        "line_ids.date_end",
    )
    def _compute_pv_minimum_lease_payments(self):
        for schedule in self:
            schedule.pv_minimum_lease_payments = sum(
                line._present_value_of_rent() for line in schedule.line_ids
            )

    @api.depends("pv_minimum_lease_payments", "fair_value")
    def _compute_r5_computed_classification(self):
        for schedule in self:
            if schedule.fair_value <= 0:
                schedule.r5_computed_classification = False
            elif schedule.pv_minimum_lease_payments > (
                R5_FINANCIAL_THRESHOLD * schedule.fair_value
            ):
                schedule.r5_computed_classification = "financial"
            else:
                schedule.r5_computed_classification = "operational"

    @api.depends("r5_computed_classification", "r5_classification_override")
    def _compute_r5_classification(self):
        for schedule in self:
            schedule.r5_classification = (
                schedule.r5_classification_override
                or schedule.r5_computed_classification
            )

    @api.constrains("r5_classification_override", "r5_override_reason")
    def _check_r5_override_reason(self):
        for schedule in self:
            if (
                schedule.r5_classification_override
                and not (schedule.r5_override_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Schedule %(schedule)s: give a reason for overriding the "
                        "R5 classification.",
                        schedule=schedule.name,
                    )
                )

    @api.constrains("discount_rate", "fair_value")
    def _check_r5_inputs(self):
        for schedule in self:
            if schedule.discount_rate < 0 or schedule.fair_value < 0:
                raise ValidationError(
                    self.env._(
                        "Schedule %(schedule)s: the fair value and the discount "
                        "rate cannot be negative.",
                        schedule=schedule.name,
                    )
                )

    @api.constrains("state", "rent_continues")
    def _check_lines_overlap_on_state(self):
        # Reviving a cancelled schedule, or letting its rent run on, can make
        # its lines overlap others again.
        self.line_ids._check_no_overlap()

    @api.constrains("state", "currency_id", "company_id")
    def _check_company_currency(self):
        """Charges are posted in the company's currency: a schedule in another
        currency would mix currencies in every total."""
        for schedule in self:
            if (
                schedule.state in CHARGED_SCHEDULE_STATES
                and schedule.currency_id != schedule.company_id.currency_id
            ):
                raise ValidationError(
                    self.env._(
                        "Schedule %(schedule)s is in %(currency)s, but %(company)s "
                        "keeps its accounts in %(company_currency)s: only a "
                        "schedule in the company's currency can be activated. "
                        "Convert the rents to %(company_currency)s.",
                        schedule=schedule.name,
                        currency=schedule.currency_id.name,
                        company=schedule.company_id.name,
                        company_currency=schedule.company_id.currency_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        schedules = system_create(self, vals_list, SCHEDULE_SYSTEM_FIELDS)
        return super(ItLeaseSchedule, schedules).create(vals_list)

    def write(self, vals):
        refuse_system_writes(self, vals, SCHEDULE_SYSTEM_FIELDS)
        # Lines that ran over the whole schedule follow a change of its
        # period; lines that joined later keep their own dates.
        follow = {}
        if {"date_start", "term_months"} & vals.keys():
            for schedule in self:
                follow[schedule] = (
                    schedule.line_ids.filtered(
                        lambda line, s=schedule: line.date_start == s.date_start
                    ),
                    schedule.line_ids.filtered(
                        lambda line, s=schedule: line.date_end == s.date_end
                    ),
                )
        before = {}
        if "rent_continues" in vals or vals.get("state") in ("cancelled", "draft"):
            before = {
                line: line._get_charge_facts()
                for line in self.line_ids
                if line.state in CHARGED_SCHEDULE_STATES
            }
        res = super().write(vals)
        for schedule, (starting, ending) in follow.items():
            starting.write({"date_start": schedule.date_start})
            ending.write({"date_end": schedule.date_end})
        if before:
            self.line_ids.flush_recordset()
            changed = {}
            for line, facts in before.items():
                if line.state not in CHARGED_SCHEDULE_STATES:
                    changed[line] = line.date_start  # no longer charged at all
                else:
                    changed[line] = line._first_changed_day(
                        facts, line._get_charge_facts()
                    )
            self.env["it.lease.line"]._check_posted_charges_from(changed)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if any(schedule.state not in ("draft", "cancelled") for schedule in self):
            raise UserError(
                self.env._("Only draft or cancelled lease schedules can be deleted.")
            )

    def action_activate(self):
        """Start the lease: the schedule must list at least one device."""
        check_groups(self, self.env._("activate a lease schedule"), IT_MANAGER)
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
        self.with_env(internal(self.env)).state = "active"
        return True

    def action_end(self):
        check_groups(self, self.env._("end a lease schedule"), IT_MANAGER)
        if any(schedule.state != "active" for schedule in self):
            raise UserError(self.env._("Only active lease schedules can be ended."))
        self.with_env(internal(self.env)).state = "ended"
        return True

    def action_cancel(self):
        check_groups(self, self.env._("cancel a lease schedule"), IT_MANAGER)
        if any(schedule.state not in ("draft", "active") for schedule in self):
            raise UserError(
                self.env._("Only draft or active lease schedules can be cancelled.")
            )
        self.with_env(internal(self.env)).state = "cancelled"
        return True

    def action_draft(self):
        check_groups(self, self.env._("reset a lease schedule"), IT_MANAGER)
        if any(schedule.state != "cancelled" for schedule in self):
            raise UserError(
                self.env._("Only cancelled lease schedules can be reset to draft.")
            )
        self.with_env(internal(self.env)).state = "draft"
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

    def action_view_extensions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "it.lease.schedule",
            "name": self.env._("Extensions"),
            "view_mode": "list,form",
            "domain": [("extends_schedule_id", "=", self.id)],
        }

    def action_decide(self):
        """Open the end-of-lease decision for the whole schedule."""
        check_groups(self, self.env._("decide at lease end"), IT_MANAGER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.it_lease_end_decision_action"
        )
        action["context"] = {"default_schedule_id": self.id}
        return action

    # Lease-end warnings

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

    def action_view_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.maintenance_equipment_action_it"
        )
        action["domain"] = [("id", "in", self.line_ids.equipment_id.ids)]
        return action
