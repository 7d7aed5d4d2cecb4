# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.lease_rules import CHARGED_SCHEDULE_STATES

# RKR R5: a lease is financial when the present value of the minimum lease
# payments exceeds this share of the asset's fair value at the start.
R5_FINANCIAL_THRESHOLD = 0.8


class ItLeaseSchedule(models.Model):
    """A lease schedule (annex) under a master agreement: a batch of devices
    leased from the same start date for the same term."""

    _name = "it.lease.schedule"
    _description = "IT Lease Schedule"
    _inherit = ["mail.thread", "mail.activity.mixin", "it.system.fields.mixin"]
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
    # it_system: set by the schedule's buttons (its state) or computed from its
    # terms (what the warnings, the charge and the R5 note read); never written
    # by hand.
    lessor_id = fields.Many2one(
        related="agreement_id.lessor_id",
        store=True,
        string="Lessor",
        index=True,
        it_system=True,
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
        it_system=True,
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    term_months = fields.Integer(
        string="Term (months)", required=True, default=36, tracking=True
    )
    date_end = fields.Date(
        string="End Date",
        compute="_compute_date_end",
        store=True,
        it_system=True,
        help="Last day of the lease: start date plus the term, minus one day.",
    )
    notice_date = fields.Date(
        string="Notice Deadline",
        compute="_compute_notice_date",
        store=True,
        it_system=True,
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
        it_system=True,
    )
    r5_computed_classification = fields.Selection(
        selection="_selection_r5_classification",
        string="Computed R5 Classification",
        compute="_compute_r5_computed_classification",
        store=True,
        it_system=True,
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
        it_system=True,
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

    def write(self, vals):
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

    def action_view_extensions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "it.lease.schedule",
            "name": self.env._("Extensions"),
            "view_mode": "list,form",
            "domain": [("extends_schedule_id", "=", self.id)],
        }

    def action_view_equipment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.maintenance_equipment_action_it"
        )
        action["domain"] = [("id", "in", self.line_ids.equipment_id.ids)]
        return action
