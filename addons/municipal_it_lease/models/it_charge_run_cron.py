# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited
"""The monthly job: each company's charge posted on its charge day."""

import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import lease_rules
from ..tools.activity import schedule_activity
from ..tools.chatter import log_note
from ..tools.lease_rules import CHARGED_SCHEDULE_STATES

_logger = logging.getLogger(__name__)

# What a transaction meets when another committed a change it must see first
# (see res.company._lock_it_charging), or a deadlock: run it again.
CONCURRENCY_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)


class ItChargeRun(models.Model):
    _inherit = "it.charge.run"

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
        self.sudo().cron_attempt_date = today
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
