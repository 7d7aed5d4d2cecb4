# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited
"""Posting a charge run: its checks and its one journal entry."""

from odoo import Command, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools.access import BILLING, check_groups
from ..tools.chatter import log_note


class ItChargeRun(models.Model):
    _inherit = "it.charge.run"

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
        # The caller checked the user's right to post this run (action_post's
        # check_groups) or is the scheduled job. The entry and the run's state
        # are fields only the app writes (it.system.fields.mixin).
        move = self.env["account.move"].sudo().create(self._prepare_move_vals())
        move._post(soft=False)
        self.sudo().write({"state": "posted", "move_id": move.id})
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
