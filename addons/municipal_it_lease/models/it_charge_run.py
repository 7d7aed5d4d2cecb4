# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import calendar
import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools import bulk, lease_rules
from ..tools.access import ACCOUNTING_ADMIN, BILLING, check_groups
from ..tools.activity import schedule_activity
from ..tools.chatter import log_note
from ..tools.guard import (
    internal,
    is_internal,
    refuse_system_writes,
    system_create,
)
from ..tools.lease_rules import CHARGED_SCHEDULE_STATES
from ..tools.selection import selection_label

_logger = logging.getLogger(__name__)

# What a transaction meets when another committed a change it must see first
# (see res.company._lock_it_charging), or a deadlock: run it again.
CONCURRENCY_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)


def _charge_lines_query(params):
    """One row per device, lease line and activity code for the month, priced
    in the database: a large municipality has 100,000 devices.

    Each lease segment (the days of the month a lease line is charged) is split
    by the activity code valid on each day; days no code covers become a line
    without a code, which blocks posting. Amounts are rounded cumulatively per
    lease line, so that the parts of a month add up to exactly the rounded
    charge of the whole.
    """
    date_from = SQL("%s::date", params["date_from"])
    date_to = SQL("%s::date", params["date_to"])
    seg_start, seg_end = lease_rules.charged_days("line", date_from, date_to)
    extra = params.get("extra_values", {})
    return SQL(
        """
WITH lease AS (
    SELECT line.id AS lease_line_id,
           line.equipment_id,
           line.monthly_rent,
           schedule.currency_id,
           %(seg_start)s AS seg_start,
           %(seg_end)s AS seg_end
      FROM it_lease_line line
      JOIN it_lease_schedule schedule ON schedule.id = line.schedule_id
     WHERE line.company_id = %(company_id)s
       AND schedule.state IN %(states)s
       AND %(charged)s
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
       AND %(code_valid)s
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
    run_id, equipment_id, lease_line_id, activity_code_id,
    date_from, date_to, days, monthly_rent, amount%(extra_columns)s
)
SELECT %(run_id)s, priced.equipment_id, priced.lease_line_id,
       priced.activity_code_id, priced.day_from, priced.day_to, priced.days,
       priced.monthly_rent,
       %(amount_until)s - %(amount_before)s
       %(extra_values)s
  FROM priced
  JOIN res_currency currency ON currency.id = priced.currency_id
%(equipment_join)s
""",
        seg_start=seg_start,
        seg_end=seg_end,
        charged=lease_rules.charged_between("line", date_from, date_to),
        code_valid=lease_rules.code_valid_between(
            "code", SQL("lease.seg_start"), SQL("lease.seg_end")
        ),
        company_id=params["company_id"],
        states=params["states"],
        run_id=params["run_id"],
        amount_until=lease_rules.prorate(
            SQL("priced.monthly_rent"),
            SQL("priced.cumulated_days"),
            params["days_in_month"],
            SQL("currency.rounding"),
        ),
        amount_before=lease_rules.prorate(
            SQL("priced.monthly_rent"),
            SQL("(priced.cumulated_days - priced.days)"),
            params["days_in_month"],
            SQL("currency.rounding"),
        ),
        extra_columns=SQL("").join(
            SQL(", %s", SQL.identifier(column)) for column in extra
        ),
        extra_values=SQL("").join(SQL(", %s", value) for value in extra.values()),
        equipment_join=SQL(
            "JOIN maintenance_equipment equipment ON equipment.id = priced.equipment_id"
        )
        if extra
        else SQL(),
    )


# Set by posting and reversal only.
RUN_STATE_FIELDS = {"state", "move_id"}
# Set by the addon's own steps only: the above, and the scheduled job's mark of
# the day it tried (set by hand, the job would skip the company that day).
RUN_SYSTEM_FIELDS = RUN_STATE_FIELDS | {"cron_attempt_date"}
# Frozen once a run is posted.
RUN_FROZEN_FIELDS = {"company_id", "date_from", "line_ids", "summary_ids"}


class ItChargeRun(models.Model):
    """The internal charge of one month for one company: every leased device
    charged to its activity code, posted as one journal entry."""

    _name = "it.charge.run"
    _description = "IT Lease Charge Run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, company_id"
    _check_company_auto = True

    def _default_date_from(self):
        """The month charged is nearly always last month."""
        today = fields.Date.context_today(self)
        return today.replace(day=1) - relativedelta(months=1)

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    month_label = fields.Char(
        string="Period", compute="_compute_month_label", store=True
    )
    date_from = fields.Date(
        string="Month",
        required=True,
        readonly=True,
        default=lambda self: self._default_date_from(),
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

    @api.depends("date_from")
    def _compute_month_label(self):
        for record in self:
            record.month_label = record.date_from and record.date_from.strftime("%Y-%m")

    @api.depends("company_id", "date_from")
    def _compute_name(self):
        for run in self:
            month = run.date_from and run.date_from.strftime("%Y-%m") or ""
            run.name = f"{run.company_id.name} {month}"

    @api.depends("date_from")
    def _compute_date_to(self):
        for run in self:
            run.date_to = run.date_from and lease_rules.month_end(run.date_from)

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
        # so the month can be run again after a correction. Creating a run
        # takes the company's charging lock, which already serialises this;
        # the index is the database's last line of defence against anything
        # that inserts without the ORM (a script, a migration).
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS it_charge_run_company_month_uniq
                ON it_charge_run (company_id, date_from)
             WHERE state != 'reversed'
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        runs = system_create(self, vals_list, RUN_SYSTEM_FIELDS)
        for vals in vals_list:
            if not vals.get("date_from"):
                continue  # the required field speaks for itself
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            month = lease_rules.month_start(vals["date_from"])
            vals["date_from"] = month
            company._lock_it_charging()
            existing = self._search_live_run(company, month)
            if existing:
                raise UserError(
                    self.env._(
                        "%(company)s already has a charge run for %(month)s "
                        "(%(state)s). Reverse its journal entry first to run "
                        "the month again.",
                        company=company.name,
                        month=month.strftime("%Y-%m"),
                        state=selection_label(existing, "state"),
                    )
                )
        return super(ItChargeRun, runs).create(vals_list)

    def write(self, vals):
        refuse_system_writes(self, vals, RUN_SYSTEM_FIELDS - RUN_STATE_FIELDS)
        if not is_internal(self.env):
            if RUN_STATE_FIELDS & vals.keys():
                raise UserError(
                    self.env._(
                        "A charge run's state and journal entry are set by posting "
                        "and reversing it, never by hand."
                    )
                )
            locked = self.filtered(lambda run: run.state != "draft")
            if locked and RUN_FROZEN_FIELDS & vals.keys():
                raise UserError(
                    self.env._(
                        "Charge run %(run)s is %(state)s: its company, month and "
                        "lines are the record of what was charged. Reverse it to "
                        "correct the month.",
                        run=locked[0].name,
                        state=selection_label(locked[0], "state"),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(run.state != "draft" for run in self):
            raise UserError(
                self.env._(
                    "A posted or reversed charge run is kept as accounting record."
                )
            )

    @api.model
    def _search_live_run(self, company, month):
        """The run of ``company`` for ``month`` that is not reversed, if any."""
        return self.search(
            [
                ("company_id", "=", company.id),
                ("date_from", "=", month),
                ("state", "!=", "reversed"),
            ],
            limit=1,
        )

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
        return True

    def _compute_charge_lines(self):
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DELETE FROM it_charge_line WHERE run_id = %s", [self.id])
        with bulk.bulk_statement(cr):
            cr.execute(_charge_lines_query(self._get_charge_query_params()))
            count = cr.rowcount
        self.env.invalidate_all()
        _logger.info("Charge run %s: %s charge lines computed", self.name, count)

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
            "extra_values": self._get_charge_line_extra_values(),
        }

    def _get_charge_line_extra_values(self):
        """Columns an extension adds to the charge lines, each with its value
        as an SQL expression on the device (``equipment``), written by the
        same statement as the rest of the line."""
        return {}

    def action_post(self):
        """Compute and post the charge of each run as one journal entry."""
        check_groups(self, self.env._("post a charge run"), BILLING)
        for run in self:
            run.company_id._lock_it_charging()
            run._post_charge()
        return True

    def _post_charge(self):
        """Post this draft run; the caller holds the company's charging lock
        (``res.company._lock_it_charging``), so what is read here is what
        every other posting, run creation and code change committed."""
        self.ensure_one()
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
        move = (
            self.env["account.move"]
            .with_env(internal(self.env))
            .sudo()
            .create(self._prepare_move_vals())
        )
        move._post(soft=False)
        self.with_env(internal(self.env)).write({"state": "posted", "move_id": move.id})
        log_note(
            self,
            body=self.env._(
                "Posted as %(move)s: %(devices)s devices, %(amount)s.",
                move=move.name,
                devices=self.device_count,
                amount=self.currency_id.format(self.amount_total),
            ),
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
        # Charged schedules are in the company's currency (see
        # it.lease.schedule._check_company_currency): so is every charge line.
        currency = company.currency_id
        totals = self.env["it.charge.line"]._read_group(
            [("run_id", "=", self.id)],
            groupby=["activity_code_id"],
            aggregates=["amount:sum"],
            order="activity_code_id",
        )
        line_vals = [
            Command.create(
                self._prepare_debit_line_vals(activity_code, currency, amount)
            )
            for activity_code, amount in totals
        ]
        total = currency.round(sum(amount for _code, amount in totals))
        line_vals.append(
            Command.create(self._prepare_credit_line_vals(currency, total))
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

    def _prepare_debit_line_vals(self, activity_code, currency, amount):
        return {
            "name": self.env._(
                "IT lease %(month)s %(code)s",
                month=self.date_from.strftime("%Y-%m"),
                code=activity_code.display_name,
            ),
            "account_id": self.company_id.it_charge_expense_account_id.id,
            "currency_id": currency.id,
            "amount_currency": amount,
            "balance": amount,
            "analytic_distribution": {str(activity_code.id): 100},
            "it_counterparty_code": self.company_id.it_charge_counterparty_code,
        }

    def _prepare_credit_line_vals(self, currency, amount):
        company = self.company_id
        return {
            "name": self.env._(
                "IT lease %(month)s internal revenue",
                month=self.date_from.strftime("%Y-%m"),
            ),
            "account_id": company.it_charge_income_account_id.id,
            "currency_id": currency.id,
            "amount_currency": -amount,
            "balance": -amount,
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

    def action_view_move_items(self):
        self.ensure_one()
        return self.move_id.action_view_it_charge_items()

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
            "default_date": fields.Date.to_string(self._get_reversal_date()),
        }
        return action

    def _get_reversal_date(self):
        """The charge's own date, or the first day after the lock date when
        that month is closed."""
        self.ensure_one()
        lock_date = self.company_id._get_user_fiscal_lock_date(self.move_id.journal_id)
        return max(self.move_id.date, fields.Date.add(lock_date, days=1))

    def _mark_reversed(self):
        runs = self.filtered(lambda run: run.state == "posted")
        runs.with_env(internal(self.env)).write({"state": "reversed"})
        for run in runs:
            log_note(
                run,
                body=self.env._(
                    "The journal entry is reversed: the month can be charged again."
                ),
            )

    # Scheduled job

    @api.model
    def _get_month_to_charge(self, company, today):
        month = today.replace(day=1)
        if company.it_charge_month == "previous":
            month -= relativedelta(months=1)
        return month

    @api.model
    def _get_companies_due(self, today):
        """``{company: month}`` of the companies whose charge day has come,
        with the month each charges (computed here, once), when that month is
        neither posted nor tried by the job today."""
        due = {}
        for company in self.env["res.company"].search([]):
            if today.day < (company.it_charge_day or 1):
                continue
            if company.it_charge_cron_date == today:
                continue
            month = self._get_month_to_charge(company, today)
            run = self._search_live_run(company, month)
            if run.state == "posted" or run.cron_attempt_date == today:
                continue
            if not company.it_charge_journal_id:
                continue  # never set up for charging: nothing to report
            has_leases = self.env["it.lease.line"].search_count(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", CHARGED_SCHEDULE_STATES),
                    *lease_rules.charged_between_domain(
                        month, lease_rules.month_end(month)
                    ),
                ],
                limit=1,
            )
            if has_leases:
                due[company] = month
        return due

    @api.model
    def _cron_charge_month(self):
        """Create and post the month's charge run of the next company due.

        One company per call: the scheduler commits after each call and calls
        again while companies remain, so a city with 100,000 devices never
        shares a transaction, or the time limit, with the next one. A company
        that cannot be charged never stops the others: its failure is written
        on its run with an activity for its charging responsible, and the job
        goes on with the next company.
        """
        today = fields.Date.context_today(self)
        due = self._get_companies_due(today)
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        company, month = next(iter(due.items()))
        self.with_company(company)._charge_company_month(company, month, today)
        self.env["ir.cron"]._notify_progress(done=1, remaining=len(due) - 1)

    @api.model
    def _charge_company_month(self, company, month, today):
        """Post ``company``'s charge of ``month`` unless someone else did.

        The company's charging lock is taken once, by finding or creating the
        month's run; from then on this transaction sees every posting, run
        and code change committed before it. If the lock finds that someone
        committed such a change after this transaction began (a user who
        just created or posted the month), nothing here can be trusted: the
        job asks the scheduler to run it again at once, and that run finds
        the month posted, or posts it. Any other failure is reported on the
        run to the company's charging responsible. Returns the run."""
        try:
            with self.env.cr.savepoint():
                run = self._get_locked_run(company, month)
                company.sudo().it_charge_cron_date = today
                company.flush_recordset(["it_charge_cron_date"])
        except CONCURRENCY_ERRORS:
            self.env.invalidate_all(flush=False)
            _logger.info(
                "Charge of %s for %s: changed by someone else meanwhile, "
                "the job runs again",
                company.name,
                month.strftime("%Y-%m"),
            )
            self.env.ref("municipal_it_lease.ir_cron_it_charge_month")._trigger()
            return self.browse()
        if run.state == "posted":
            _logger.info(
                "Charge of %s for %s: already posted",
                company.name,
                month.strftime("%Y-%m"),
            )
            return run
        try:
            with self.env.cr.savepoint():
                run._post_charge()
        except CONCURRENCY_ERRORS:
            raise  # with the lock held, rare: the scheduler tries again
        except Exception as error:
            self.env.invalidate_all(flush=False)
            _logger.warning(
                "Charge of %s for %s not posted: %s",
                company.name,
                month.strftime("%Y-%m"),
                error,
                exc_info=not isinstance(error, UserError),
            )
            # The posting's savepoint is gone, the lock and the run remain:
            # the report neither creates nor reads anything stale.
            with self.env.cr.savepoint():
                run._report_cron_failure(error, today)
        return run

    @api.model
    def _get_locked_run(self, company, month):
        """The live run of ``company`` for ``month``, created if none, with
        the company's charging lock held (creating a run takes it)."""
        run = self._search_live_run(company, month)
        if run:
            company._lock_it_charging()
            return run
        return self.create({"company_id": company.id, "date_from": month})

    def _report_cron_failure(self, error, today):
        """Write why the job could not post this run, and ask the company's
        charging responsible to act. Runs inside the caller's savepoint."""
        self.ensure_one()
        message = str(error) if isinstance(error, UserError) else repr(error)
        self.with_env(internal(self.env)).cron_attempt_date = today
        try:
            with self.env.cr.savepoint():
                self._compute_charge_lines()
        except Exception:  # noqa: BLE001 - the lines only help; the note matters
            self.env.invalidate_all(flush=False)
        log_note(
            self,
            body=self.env._(
                "The scheduled job could not post this run: %(error)s",
                error=message,
            ),
        )
        user = self.company_id.it_charge_user_id
        if user:
            schedule_activity(
                self,
                user,
                lambda run: (run.env._("Monthly IT charge not posted"), message),
                "mail.mail_activity_data_todo",
            )
