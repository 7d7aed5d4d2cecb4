# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date


class ResCompany(models.Model):
    _inherit = "res.company"

    def _default_it_activity_code_plan(self):
        return self.env.ref(
            "municipal_it_lease.account_analytic_plan_activity_code",
            raise_if_not_found=False,
        )

    it_activity_code_plan_id = fields.Many2one(
        comodel_name="account.analytic.plan",
        string="Activity Code Plan",
        default=_default_it_activity_code_plan,
        help="Analytic plan whose accounts are the activity codes (cost centres) "
        "that leased devices are charged to. The analytic account code is the "
        "activity code.",
    )

    # Monthly internal charging. Accounts are chosen, never hard-coded: the
    # municipal chart (Kommun-Bas) is not Odoo's l10n_se chart.
    it_charge_journal_id = fields.Many2one(
        check_company=True,
        comodel_name="account.journal",
        string="Charge Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="A journal of its own, so that its numbering never waits on other users.",
    )
    it_charge_expense_account_id = fields.Many2one(
        check_company=True,
        comodel_name="account.account",
        string="Internal Cost Account",
        help="Debited per activity code with the lease cost of its devices.",
    )
    it_charge_income_account_id = fields.Many2one(
        check_company=True,
        comodel_name="account.account",
        string="Internal Revenue Account",
        help="Credited with the total: the IT unit's internal revenue.",
    )
    it_charge_analytic_account_id = fields.Many2one(
        check_company=True,
        comodel_name="account.analytic.account",
        string="IT Unit Analytic Account",
        help="Analytic account of the IT unit, on the credit line.",
    )
    it_charge_day = fields.Integer(
        string="Charge Day",
        default=25,
        help="Day of the month on which the monthly charge is run automatically.",
    )
    it_charge_month = fields.Selection(
        selection=[
            ("previous", "The previous month"),
            ("current", "The current month"),
        ],
        string="Month Charged",
        default="previous",
        required=True,
        help="Which month the automatic run on the charge day charges.",
    )
    it_charge_counterparty_code = fields.Char(
        string="Counterparty Code",
        help="Internal counterparty code (motpart) written on every charge line, "
        "so the internal postings are eliminated in external reporting.",
    )

    it_charge_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Charging Responsible",
        help="Finance user who gets an activity when the scheduled job cannot "
        "charge this company's month.",
    )

    it_charge_cron_date = fields.Date(
        string="Charge Job Last Tried",
        readonly=True,
        copy=False,
        help="Last day the scheduled job tried to charge this company.",
    )

    it_buyout_account_id = fields.Many2one(
        check_company=True,
        comodel_name="account.account",
        string="Buy-out Account",
        help="Account of the vendor bill lines when devices are bought out from "
        "the lessor (an asset or an expense account, as your chart wants).",
    )
    it_lease_warning_days = fields.Char(
        string="Lease-End Warnings (days)",
        default="120,90,30",
        help="Days before each schedule's notice deadline (end date minus notice "
        "period) on which IT leasing managers are warned, comma separated.",
    )

    _sql_constraints = [
        (
            "it_charge_day_valid",
            "CHECK(it_charge_day IS NULL OR (it_charge_day BETWEEN 1 AND 28))",
            "The charge day must be between 1 and 28, so that every month has it.",
        ),
    ]

    def _get_it_charge_missing_settings(self):
        """Labels of the charge settings this company still lacks."""
        self.ensure_one()
        required = [
            "it_charge_journal_id",
            "it_charge_expense_account_id",
            "it_charge_income_account_id",
            "it_charge_analytic_account_id",
        ]
        return [self._fields[name].string for name in required if not self[name]]

    def _check_it_date_not_charged(self, effective_date):
        """Refuse an activity code change effective in a month already charged
        and posted: it would rewrite what the accounts already show."""
        self.ensure_one()
        run = self.env["it.charge.run"].search(
            [
                ("company_id", "=", self.id),
                ("state", "=", "posted"),
                ("date_to", ">=", effective_date),
            ],
            order="date_from desc",
            limit=1,
        )
        if run:
            raise UserError(
                self.env._(
                    "The effective date %(date)s lies in a month already charged: "
                    "charge run %(run)s is posted. Choose a date after %(end)s.",
                    date=format_date(self.env, effective_date),
                    run=run.name,
                    end=format_date(self.env, run.date_to),
                )
            )

    def _it_demo_use_sek(self):
        """Demo data: keep the demo municipality's accounts in SEK, when no
        journal item exists yet in another currency (Odoo refuses the change
        then, and the demo keeps the currency it has)."""
        sek = self.env.ref("base.SEK")
        for company in self.filtered(lambda company: company.currency_id != sek):
            if not self.env["account.move.line"].search_count(
                [("company_id", "=", company.id)], limit=1
            ):
                company.currency_id = sek
        return True

    def _lock_it_charging(self):
        """Take the charging lock of these companies until the transaction
        ends: the one lock of the addon's charging.

        Whatever must not interleave with a posting takes it, once, before
        it reads what it is about to change: creating a month's run, posting
        it (a user or the scheduled job), a device's activity-code change, a
        plan change and its undo. A second transaction waits for the first.

        The lock is an update of the company's own row, not a mere row lock
        (``SELECT ... FOR UPDATE``) or an advisory lock: Odoo runs every
        transaction in REPEATABLE READ, whose snapshot is taken at its first
        statement, so a waiter that only waited would go on with what it had
        read before the first committed, e.g. not see the run the first just
        posted. Because the first *updated* the row, PostgreSQL refuses the
        waiter's update with a serialization failure instead; Odoo then runs
        the request again on a fresh snapshot (the scheduled job asks the
        scheduler to run it again, see ``it.charge.run._cron_charge_month``),
        and the second finds the first's work, e.g. the month posted. Taking
        it again in the same transaction is harmless (the row is already
        ours).

        The database keeps its own last line of defence beside it, for
        whatever writes without the ORM: the unique index of one live run per
        company and month, and the trigger refusing code changes on posted
        days (see ``it.charge.run.init`` and
        ``it.activity.code.assignment.init``).
        """
        if not self:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_company SET write_date = write_date
                 WHERE id IN (
                    SELECT id FROM res_company WHERE id = ANY(%s)
                     ORDER BY id FOR NO KEY UPDATE)
                """,
                self.ids,
            ),
            # A serialization failure here is the lock's answer, not a bug.
            log_exceptions=False,
        )

    def _get_it_lease_warning_days(self):
        """The lead times of the lease-end warnings, largest first."""
        self.ensure_one()
        days = set()
        for part in (self.it_lease_warning_days or "").replace(";", ",").split(","):
            if part.strip().isdigit():
                days.add(int(part.strip()))
        return sorted(days, reverse=True)

    @api.constrains(
        "it_charge_journal_id",
        "it_charge_expense_account_id",
        "it_charge_income_account_id",
        "it_charge_analytic_account_id",
        "it_buyout_account_id",
    )
    def _check_it_company_fields(self):
        # res.company has no _check_company_auto: check its own settings.
        self._check_company(
            [
                "it_charge_journal_id",
                "it_charge_expense_account_id",
                "it_charge_income_account_id",
                "it_charge_analytic_account_id",
                "it_buyout_account_id",
            ]
        )

    @api.constrains("it_lease_warning_days")
    def _check_it_lease_warning_days(self):
        for company in self:
            parts = [
                part.strip()
                for part in (company.it_lease_warning_days or "")
                .replace(";", ",")
                .split(",")
                if part.strip()
            ]
            if any(not part.isdigit() for part in parts):
                raise ValidationError(
                    self.env._(
                        "Lease-end warnings: give whole numbers of days separated "
                        "by commas, e.g. 120,90,30."
                    )
                )
