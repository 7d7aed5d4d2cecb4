# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import calendar
import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools.access import ACCOUNTING_ADMIN, BILLING, check_groups

_logger = logging.getLogger(__name__)

# Schedules whose lines are charged: an ended schedule still charges the days
# of the month before it ended.
CHARGED_SCHEDULE_STATES = ("active", "ended")

# One row per device, lease line and activity code for the month, priced in
# the database: a large municipality has 100,000 devices. Each lease segment
# (the days of the month a lease line covers) is split by the activity code
# valid on each day; days no code covers become a line without a code, which
# blocks posting. Amounts are rounded cumulatively per lease line, so that the
# parts of a month add up to exactly the rounded charge of the whole.
CHARGE_LINES_SQL = """
WITH lease AS (
    SELECT line.id AS lease_line_id,
           line.equipment_id,
           line.monthly_rent,
           schedule.currency_id,
           GREATEST(line.date_start, %(date_from)s::date) AS seg_start,
           -- Undecided at its end, a device stays leased: the lessor bills it
           -- until it is returned, bought out or extended.
           CASE WHEN line.end_decision IS NULL THEN %(date_to)s::date
                ELSE LEAST(line.date_end, %(date_to)s::date) END AS seg_end
      FROM it_lease_line line
      JOIN it_lease_schedule schedule ON schedule.id = line.schedule_id
     WHERE line.company_id = %(company_id)s
       AND schedule.state IN %(states)s
       AND line.date_start <= %(date_to)s::date
       AND (line.date_end >= %(date_from)s::date OR line.end_decision IS NULL)
), coded AS (
    SELECT lease.lease_line_id,
           lease.equipment_id,
           lease.monthly_rent,
           lease.currency_id,
           code.activity_code_id,
           GREATEST(lease.seg_start, code.date_from) AS day_from,
           LEAST(lease.seg_end, code.date_to) AS day_to
      FROM lease
      JOIN it_activity_code_assignment code
        ON code.equipment_id = lease.equipment_id
       AND COALESCE(code.date_from, lease.seg_start) <= lease.seg_end
       AND COALESCE(code.date_to, lease.seg_end) >= lease.seg_start
), uncovered AS (
    SELECT lease.lease_line_id,
           lease.equipment_id,
           lease.monthly_rent,
           lease.currency_id,
           NULL::integer AS activity_code_id,
           lease.seg_start AS day_from,
           lease.seg_end AS day_to,
           (lease.seg_end - lease.seg_start + 1)
             - COALESCE(SUM(coded.day_to - coded.day_from + 1), 0) AS days
      FROM lease
 LEFT JOIN coded ON coded.lease_line_id = lease.lease_line_id
  GROUP BY lease.lease_line_id, lease.equipment_id, lease.monthly_rent,
           lease.currency_id, lease.seg_start, lease.seg_end
    HAVING (lease.seg_end - lease.seg_start + 1)
             - COALESCE(SUM(coded.day_to - coded.day_from + 1), 0) > 0
), segment AS (
    SELECT coded.*, coded.day_to - coded.day_from + 1 AS days FROM coded
    UNION ALL
    SELECT * FROM uncovered
), priced AS (
    SELECT segment.*,
           SUM(segment.days) OVER (
               PARTITION BY segment.lease_line_id
               ORDER BY segment.day_from, segment.activity_code_id NULLS LAST
               ROWS UNBOUNDED PRECEDING
           ) AS cumulated_days
      FROM segment
)
INSERT INTO it_charge_line (
    run_id, company_id, equipment_id, lease_line_id, activity_code_id,
    date_from, date_to, days, monthly_rent, amount, currency_id,
    create_uid, create_date, write_uid, write_date
)
SELECT %(run_id)s, %(company_id)s, priced.equipment_id, priced.lease_line_id,
       priced.activity_code_id, priced.day_from, priced.day_to, priced.days,
       priced.monthly_rent,
       ROUND(priced.monthly_rent * priced.cumulated_days
             / %(days_in_month)s / currency.rounding) * currency.rounding
       - ROUND(priced.monthly_rent * (priced.cumulated_days - priced.days)
             / %(days_in_month)s / currency.rounding) * currency.rounding,
       priced.currency_id,
       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
  FROM priced
  JOIN res_currency currency ON currency.id = priced.currency_id
  JOIN maintenance_equipment equipment ON equipment.id = priced.equipment_id
LEFT JOIN account_analytic_account code ON code.id = priced.activity_code_id
-- Stored in the order of the report (activity code, serial number), so the
-- report can read them back by id, a chunk at a time, without sorting.
ORDER BY COALESCE(code.code, ''), equipment.serial_no, priced.day_from
"""


class ItChargeRun(models.Model):
    """The internal charge of one month for one company: every leased device
    charged to its activity code, posted as one journal entry."""

    _name = "it.charge.run"
    _description = "IT Lease Charge Run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, company_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(
        string="Month",
        required=True,
        readonly=True,
        help="First day of the month charged.",
    )
    date_to = fields.Date(
        string="Last Day", compute="_compute_date_to", store=True, readonly=True
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("posted", "Posted"),
            ("reversed", "Reversed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("it.charge.line", "run_id", string="Charge Lines")
    summary_ids = fields.One2many(
        "it.charge.summary", "run_id", string="Totals per Activity Code"
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Journal Entry",
        readonly=True,
        copy=False,
        check_company=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(string="Total", compute="_compute_totals")
    device_count = fields.Integer(string="Devices", compute="_compute_totals")
    missing_code_count = fields.Integer(
        string="Devices Without Activity Code", compute="_compute_totals"
    )
    cron_attempt_date = fields.Date(
        readonly=True,
        copy=False,
        help="Last day the scheduled job tried to post this run.",
    )

    @api.depends("company_id", "date_from")
    def _compute_name(self):
        for run in self:
            month = run.date_from and run.date_from.strftime("%Y-%m") or ""
            run.name = f"{run.company_id.name} {month}"

    @api.depends("date_from")
    def _compute_date_to(self):
        for run in self:
            run.date_to = run.date_from and run.date_from + relativedelta(
                day=31
            )  # relativedelta clamps day=31 to the month's last day

    def _compute_totals(self):
        lines = self.env["it.charge.line"]
        totals = {
            run: (amount, devices)
            for run, amount, devices in lines._read_group(
                [("run_id", "in", self.ids)],
                groupby=["run_id"],
                aggregates=["amount:sum", "equipment_id:count_distinct"],
            )
        }
        missing = dict(
            lines._read_group(
                [("run_id", "in", self.ids), ("activity_code_id", "=", False)],
                groupby=["run_id"],
                aggregates=["equipment_id:count_distinct"],
            )
        )
        for run in self:
            run.amount_total, run.device_count = totals.get(run, (0.0, 0))
            run.missing_code_count = missing.get(run, 0)

    def init(self):
        # One live run per company and month, whoever creates it: two cron
        # workers or a click during the cron. A reversed run no longer counts,
        # so the month can be run again after a correction.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS it_charge_run_company_month_uniq
                ON it_charge_run (company_id, date_from)
             WHERE state != 'reversed'
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("date_from"):
                continue  # the required field speaks for itself
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            month = fields.Date.to_date(vals["date_from"]).replace(day=1)
            vals["date_from"] = month
            self._lock_month(company, month)
            existing = self.search(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "=", month),
                    ("state", "!=", "reversed"),
                ],
                limit=1,
            )
            if existing:
                raise UserError(
                    self.env._(
                        "%(company)s already has a charge run for %(month)s "
                        "(%(state)s). Reverse its journal entry first to run "
                        "the month again.",
                        company=company.name,
                        month=month.strftime("%Y-%m"),
                        state=dict(
                            existing._fields["state"]._description_selection(self.env)
                        )[existing.state],
                    )
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(run.state != "draft" for run in self):
            raise UserError(
                self.env._(
                    "A posted or reversed charge run is kept as accounting record."
                )
            )

    @api.model
    def _lock_month(self, company, month):
        """Serialise everyone creating or posting the charge of one company
        and month; a second process is refused at once instead of waiting."""
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext(%s))",
            [f"it.charge.run:{company.id}:{month:%Y-%m}"],
        )
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._(
                    "The charge of %(month)s for %(company)s is being run by "
                    "another user or by the scheduled job. Try again in a moment.",
                    month=month.strftime("%Y-%m"),
                    company=company.name,
                )
            )

    def _lock_for_posting(self):
        self.ensure_one()
        self._lock_month(self.company_id, self.date_from)
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM it_charge_run WHERE id = %s FOR UPDATE NOWAIT",
                    [self.id],
                )
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure):
            raise UserError(
                self.env._(
                    "The charge run %(run)s is being posted by another user or by "
                    "the scheduled job.",
                    run=self.name,
                )
            ) from None
        self.invalidate_recordset(["state", "move_id"])

    def action_compute(self):
        """Recompute the charge lines of draft runs from the register."""
        check_groups(self, self.env._("compute a charge run"), BILLING)
        for run in self:
            if run.state != "draft":
                raise UserError(
                    self.env._(
                        "The charge run %(run)s is posted: reverse its journal "
                        "entry and run the month again instead of recomputing it.",
                        run=run.name,
                    )
                )
            run._compute_charge_lines()

    def _compute_charge_lines(self):
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DELETE FROM it_charge_line WHERE run_id = %s", [self.id])
        cr.execute(CHARGE_LINES_SQL, self._get_charge_query_params())
        self.env.invalidate_all()
        _logger.info("Charge run %s: %s charge lines computed", self.name, cr.rowcount)

    def _get_charge_query_params(self):
        self.ensure_one()
        return {
            "run_id": self.id,
            "company_id": self.company_id.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "days_in_month": calendar.monthrange(
                self.date_from.year, self.date_from.month
            )[1],
            "states": CHARGED_SCHEDULE_STATES,
            "uid": self.env.uid,
        }

    def action_post(self):
        """Compute and post the charge of each run as one journal entry."""
        check_groups(self, self.env._("post a charge run"), BILLING)
        for run in self:
            run._post_charge()

    def _post_charge(self):
        self.ensure_one()
        self._lock_for_posting()
        if self.state != "draft":
            raise UserError(
                self.env._("The charge run %(run)s is already posted.", run=self.name)
            )
        self._check_charge_settings()
        self._check_lock_date()
        self._compute_charge_lines()
        self._check_activity_codes()
        if not self.env["it.charge.line"].search_count(
            [("run_id", "=", self.id)], limit=1
        ):
            raise UserError(
                self.env._(
                    "No device of %(company)s was on lease in %(month)s: there is "
                    "nothing to charge.",
                    company=self.company_id.name,
                    month=self.date_from.strftime("%Y-%m"),
                )
            )
        move = self.env["account.move"].sudo().create(self._prepare_move_vals())
        move._post(soft=False)
        self.write({"state": "posted", "move_id": move.id})
        self.message_post(
            body=self.env._(
                "Posted as %(move)s: %(devices)s devices, %(amount)s.",
                move=move.name,
                devices=self.device_count,
                amount=self.currency_id.format(self.amount_total),
            )
        )
        return move

    def _check_charge_settings(self):
        missing = self.company_id._get_it_charge_missing_settings()
        if missing:
            raise UserError(
                self.env._(
                    "Set up the charging of %(company)s first (IT Leasing ▸ "
                    "Configuration ▸ Settings). Missing: %(settings)s.",
                    company=self.company_id.name,
                    settings=", ".join(missing),
                )
            )

    def _check_lock_date(self):
        journal = self.company_id.it_charge_journal_id
        lock_date = self.company_id._get_user_fiscal_lock_date(journal)
        if self.date_to <= lock_date:
            raise UserError(
                self.env._(
                    "The accounts of %(company)s are locked up to %(lock_date)s: the "
                    "charge of %(month)s cannot be posted. Ask your accountant to "
                    "reopen the period.",
                    company=self.company_id.name,
                    lock_date=format_date(self.env, lock_date),
                    month=self.date_from.strftime("%Y-%m"),
                )
            )

    def _check_activity_codes(self):
        # Searched, not filtered: a run holds up to 100,000 lines.
        without_code = self.env["it.charge.line"].search(
            [("run_id", "=", self.id), ("activity_code_id", "=", False)]
        )
        if without_code:
            serials = sorted(set(without_code.equipment_id.mapped("display_name")))
            shown = ", ".join(serials[:50])
            more = len(serials) - 50
            raise UserError(
                self.env._(
                    "%(count)s devices have no activity code for days of %(month)s "
                    "and cannot be charged: %(devices)s%(more)s. Give them an "
                    "activity code, then post again.",
                    count=len(serials),
                    month=self.date_from.strftime("%Y-%m"),
                    devices=shown,
                    more=self.env._(" and %s more", more) if more > 0 else "",
                )
            )

    def _prepare_move_vals(self):
        """One debit line per activity code on the internal cost account, and
        the credit to the IT unit on the internal revenue account."""
        self.ensure_one()
        company = self.company_id
        totals = self.env["it.charge.line"]._read_group(
            [("run_id", "=", self.id)],
            groupby=["activity_code_id", "currency_id"],
            aggregates=["amount:sum"],
            order="activity_code_id",
        )
        credit_by_currency = {}
        line_vals = []
        for activity_code, currency, amount in totals:
            balance = currency._convert(
                amount, company.currency_id, company, self.date_to
            )
            credit = credit_by_currency.setdefault(currency, [0.0, 0.0])
            credit[0] += amount
            credit[1] += balance
            line_vals.append(
                Command.create(
                    self._prepare_debit_line_vals(
                        activity_code, currency, amount, balance
                    )
                )
            )
        for currency, (amount, balance) in credit_by_currency.items():
            line_vals.append(
                Command.create(
                    self._prepare_credit_line_vals(currency, amount, balance)
                )
            )
        return {
            "move_type": "entry",
            "journal_id": company.it_charge_journal_id.id,
            "company_id": company.id,
            "date": self.date_to,
            "ref": self.env._(
                "IT lease charge %(month)s", month=self.date_from.strftime("%Y-%m")
            ),
            "it_charge_run_id": self.id,
            "line_ids": line_vals,
        }

    def _prepare_debit_line_vals(self, activity_code, currency, amount, balance):
        return {
            "name": self.env._(
                "IT lease %(month)s %(code)s",
                month=self.date_from.strftime("%Y-%m"),
                code=activity_code.display_name,
            ),
            "account_id": self.company_id.it_charge_expense_account_id.id,
            "currency_id": currency.id,
            "amount_currency": amount,
            "balance": balance,
            "analytic_distribution": {str(activity_code.id): 100},
            "it_counterparty_code": self.company_id.it_charge_counterparty_code,
        }

    def _prepare_credit_line_vals(self, currency, amount, balance):
        company = self.company_id
        return {
            "name": self.env._(
                "IT lease %(month)s internal revenue",
                month=self.date_from.strftime("%Y-%m"),
            ),
            "account_id": company.it_charge_income_account_id.id,
            "currency_id": currency.id,
            "amount_currency": -amount,
            "balance": -balance,
            "analytic_distribution": {
                str(company.it_charge_analytic_account_id.id): 100
            },
            "it_counterparty_code": company.it_charge_counterparty_code,
        }

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    def action_reverse(self):
        """Open Odoo's reversal of the journal entry: the only way to correct
        a posted charge."""
        check_groups(self, self.env._("reverse a charge run"), ACCOUNTING_ADMIN)
        self.ensure_one()
        if self.state != "posted":
            raise UserError(self.env._("Only a posted charge run can be reversed."))
        action = self.move_id.action_reverse()
        action["context"] = {
            "active_model": "account.move",
            "active_ids": self.move_id.ids,
        }
        return action

    def _mark_reversed(self):
        self.filtered(lambda run: run.state == "posted").write({"state": "reversed"})

    # Scheduled job

    @api.model
    def _get_month_to_charge(self, company, today):
        month = today.replace(day=1)
        if company.it_charge_month == "previous":
            month -= relativedelta(months=1)
        return month

    @api.model
    def _get_companies_due(self, today):
        """Companies whose charge day has come and whose month is not posted
        yet (nor tried by the job today)."""
        due = self.env["res.company"]
        for company in self.env["res.company"].search([]):
            if company._get_it_charge_missing_settings() or today.day < (
                company.it_charge_day or 1
            ):
                continue
            month = self._get_month_to_charge(company, today)
            run = self.search(
                [
                    ("company_id", "=", company.id),
                    ("date_from", "=", month),
                    ("state", "!=", "reversed"),
                ],
                limit=1,
            )
            if run.state == "posted" or run.cron_attempt_date == today:
                continue
            has_leases = self.env["it.lease.line"].search_count(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", CHARGED_SCHEDULE_STATES),
                    ("date_start", "<=", month + relativedelta(day=31)),
                    "|",
                    ("date_end", ">=", month),
                    ("end_decision", "=", False),
                ],
                limit=1,
            )
            if has_leases:
                due |= company
        return due

    @api.model
    def _cron_charge_month(self):
        """Create and post the month's charge run of the next company due.

        One company per call: the scheduler commits after each call and calls
        again while companies remain, so a city with 100,000 devices never
        shares a transaction, or the time limit, with the next one.
        """
        today = fields.Date.context_today(self)
        due = self._get_companies_due(today)
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        company = due[0]
        self.with_company(company)._charge_company_month(
            company, self._get_month_to_charge(company, today), today
        )
        self.env["ir.cron"]._notify_progress(done=1, remaining=len(due) - 1)

    @api.model
    def _charge_company_month(self, company, month, today):
        run = self.search(
            [
                ("company_id", "=", company.id),
                ("date_from", "=", month),
                ("state", "=", "draft"),
            ],
            limit=1,
        ) or self.create({"company_id": company.id, "date_from": month})
        run.cron_attempt_date = today
        try:
            with self.env.cr.savepoint():
                run._post_charge()
        except UserError as error:
            # The draft run stays, with its lines and this note, for staff to
            # fix what blocks it; the job tries again on its next day.
            _logger.warning("Charge run %s not posted: %s", run.name, error)
            run._compute_charge_lines()
            run.message_post(
                body=self.env._(
                    "The scheduled job could not post this run: %(error)s",
                    error=str(error),
                )
            )
        return run
