# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The charge run: its fields, totals and the rules of a posted month.

Computing its lines: ``it_charge_run_lines.py``; posting them:
``it_charge_run_post.py``; the monthly job: ``it_charge_run_cron.py``.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import lease_rules
from ..tools.access import ACCOUNTING_ADMIN, check_groups
from ..tools.chatter import log_note
from ..tools.selection import selection_label

# Set by posting (draft to posted, with its entry) and reversal (posted to
# reversed) only.
RUN_STATE_FIELDS = {"state", "move_id"}
# Frozen once a run is posted.
RUN_FROZEN_FIELDS = {"company_id", "date_from", "line_ids", "summary_ids"}


class ItChargeRun(models.Model):
    """The internal charge of one month for one company: every leased device
    charged to its activity code, posted as one journal entry."""

    _name = "it.charge.run"
    _description = "IT Lease Charge Run"
    _inherit = ["mail.thread", "mail.activity.mixin", "it.system.fields.mixin"]
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
        it_system=True,
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
        it_system=True,
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
        # Set by hand, the job would skip the company that day.
        it_system=True,
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
        return super().create(vals_list)

    def write(self, vals):
        # Checked for every caller, the superuser included: what a posted
        # month is depends on the run, not on who writes.
        if RUN_STATE_FIELDS & vals.keys():
            self._check_state_change(vals)
        if RUN_FROZEN_FIELDS & vals.keys():
            self._check_not_frozen()
        return super().write(vals)

    def _check_state_change(self, vals):
        """A run goes from draft to posted with its posted journal entry, and
        from posted to reversed once a reversal of that entry is posted;
        nothing else changes its state or entry."""
        Move = self.env["account.move"].sudo()
        for run in self:
            state = vals.get("state", run.state)
            move = Move.browse(vals["move_id"]) if "move_id" in vals else run.move_id
            if state == run.state and move == run.move_id:
                continue  # a form saving back what it read
            posting = (
                (run.state, state) == ("draft", "posted")
                and move.state == "posted"
                and move.it_charge_run_id == run
            )
            reversing = (
                (run.state, state) == ("posted", "reversed")
                and move == run.move_id
                and "posted" in move.reversal_move_ids.mapped("state")
            )
            if not (posting or reversing):
                raise UserError(
                    self.env._(
                        "A charge run's state and journal entry are set by posting "
                        "and reversing it, never by hand."
                    )
                )

    def _check_not_frozen(self):
        locked = self.filtered(lambda run: run.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "Charge run %(run)s is %(state)s: its company, month and "
                    "lines are the record of what was charged. Reverse it to "
                    "correct the month.",
                    run=locked[0].name,
                    state=selection_label(locked[0], "state"),
                )
            )

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
        """Free the month of each posted run whose entry's reversal is posted
        (called by that posting)."""
        runs = self.filtered(lambda run: run.state == "posted")
        runs.check_access("write")
        runs.sudo().write({"state": "reversed"})
        for run in runs:
            log_note(
                run,
                body=self.env._(
                    "The journal entry is reversed: the month can be charged again."
                ),
            )
