# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from operator import itemgetter

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import bulk
from ..tools.access import BILLING, IT_MANAGER, check_groups
from ..tools.chatter import log_note
from ..tools.fileparse import (
    parse_amount,
    parse_month,
    raise_errors,
    read_table,
)
from ..tools.reconciliation_sql import (
    SPEC_COLUMNS,
    not_invoiced_query,
    spec_lines_query,
)
from ..tools.selection import selection_label
from ..tools.serial import serial_problem
from ..tools.spreadsheet import find_columns
from .it_lease_reconciliation_line import RECONCILIATION_STATUSES

#: How many months before the reconciliation's month a row may bill: a device
#: delivered late, or a correction, is billed with the next quarter's
#: invoices at the latest (March's file may bill December to March). A row of
#: an earlier month, or of a later one (nothing is billed in advance), is not
#: this reconciliation's and refuses the file.
MAX_BACK_BILLED_MONTHS = 3


# Chatter and activities stay open on an accepted reconciliation.
MAIL_FIELDS = {
    "message_main_attachment_id",
    "message_follower_ids",
    "message_ids",
    "activity_ids",
    "website_message_ids",
}


class ItLeaseReconciliation(models.Model):
    """The lessor's monthly invoice specification checked serial by serial
    against the register."""

    _name = "it.lease.reconciliation"
    _description = "Lessor Invoice Reconciliation"
    _inherit = ["mail.thread", "mail.activity.mixin", "it.system.fields.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    lessor_id = fields.Many2one(
        "res.partner", required=True, readonly=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    month_label = fields.Char(
        string="Period", compute="_compute_month_label", store=True
    )
    date_from = fields.Date(string="Month", required=True, readonly=True)
    filename = fields.Char(string="Specification File", readonly=True)
    # Moved by its buttons only: checked needs the bill or a reason; accepted
    # freezes it.
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("checked", "Checked"),
            ("disputed", "Disputed"),
            ("accepted", "Accepted"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        it_system=True,
    )
    check_note = fields.Char(
        tracking=True,
        help="Why the reconciliation is checked without a vendor bill, e.g. the "
        "bill has not arrived yet.",
    )
    vendor_bill_id = fields.Many2one(
        comodel_name="account.move",
        tracking=True,
        check_company=True,
        domain="[('move_type', '=', 'in_invoice'), ('partner_id', '=', lessor_id)]",
    )
    line_ids = fields.One2many(
        "it.lease.reconciliation.line", "reconciliation_id", string="Lines"
    )
    invoiced_total = fields.Monetary(compute="_compute_totals")
    expected_total = fields.Monetary(compute="_compute_totals")
    matched_count = fields.Integer(compute="_compute_totals")
    amount_differs_count = fields.Integer(compute="_compute_totals")
    not_in_register_count = fields.Integer(compute="_compute_totals")
    not_invoiced_count = fields.Integer(compute="_compute_totals")
    after_end_count = fields.Integer(compute="_compute_totals")
    discrepancy_count = fields.Integer(compute="_compute_totals")
    note = fields.Html()

    _sql_constraints = [
        # One reconciliation per lessor and month: a second import of the
        # month replaces the first (see _import_specification), and two
        # imports of the same month at the same moment (two clerks, a clerk
        # and the lessor's portal, two e-invoices) cannot both create one.
        (
            "lessor_month_uniq",
            "unique(company_id, lessor_id, date_from)",
            (
                "This lessor's month already has a reconciliation: import the "
                "specification again with Replace, or open the one there is."
            ),
        ),
    ]

    @api.depends("date_from")
    def _compute_month_label(self):
        for record in self:
            record.month_label = record.date_from and record.date_from.strftime("%Y-%m")

    @api.depends("lessor_id", "date_from")
    def _compute_name(self):
        for reconciliation in self:
            month = reconciliation.date_from and reconciliation.date_from.strftime(
                "%Y-%m"
            )
            reconciliation.name = f"{reconciliation.lessor_id.name} {month or ''}"

    def _compute_totals(self):
        groups = self.env["it.lease.reconciliation.line"]._read_group(
            [("reconciliation_id", "in", self.ids)],
            groupby=["reconciliation_id", "status"],
            aggregates=["__count", "invoiced_amount:sum", "expected_amount:sum"],
        )
        totals = {}
        for reconciliation, status, count, invoiced, expected in groups:
            per = totals.setdefault(reconciliation, {"invoiced": 0.0, "expected": 0.0})
            per[status] = count
            per["invoiced"] += invoiced
            per["expected"] += expected
        for reconciliation in self:
            per = totals.get(reconciliation, {})
            reconciliation.invoiced_total = per.get("invoiced", 0.0)
            reconciliation.expected_total = per.get("expected", 0.0)
            for status, _label in RECONCILIATION_STATUSES:
                reconciliation[f"{status}_count"] = per.get(status, 0)
            reconciliation.discrepancy_count = sum(
                per.get(status, 0)
                for status, _label in RECONCILIATION_STATUSES
                if status != "matched"
            )

    # Import

    @api.model
    def _import_specification(
        self, lessor, month, content, filename=None, replace=False
    ):
        """Create the reconciliation of ``lessor``'s specification for
        ``month`` from the file ``content``. A file with any bad row is
        refused whole, naming each row and its problem. A month already
        imported is refused, unless ``replace`` asks to replace an import not
        yet accepted."""
        company = self.env.company
        month = month.replace(day=1)
        with bulk.paused_gc():
            rows = self._parse_specification(lessor, company, content, month=month)
        existing = self.search(
            [
                ("lessor_id", "=", lessor.id),
                ("company_id", "=", company.id),
                ("date_from", "=", month),
            ]
        )
        if existing:
            accepted = existing.filtered(lambda rec: rec.state == "accepted")
            if not replace or accepted:
                raise UserError(
                    self.env._(
                        "The specification of %(lessor)s for %(month)s is already "
                        "imported (%(name)s, %(state)s). %(hint)s",
                        lessor=lessor.name,
                        month=month.strftime("%Y-%m"),
                        name=existing[0].name,
                        state=selection_label(existing[0], "state"),
                        hint=(
                            self.env._(
                                "It is accepted: reopen it to correct it instead."
                            )
                            if accepted
                            else self.env._(
                                "Tick Replace to import the file again in its place."
                            )
                        ),
                    )
                )
            existing.unlink()
        reconciliation = self.create(
            {
                "lessor_id": lessor.id,
                "company_id": company.id,
                "date_from": month.replace(day=1),
                "filename": filename,
            }
        )
        with bulk.paused_gc():
            reconciliation._classify_specification(rows)
        return reconciliation

    @api.model
    def _parse_specification(self, lessor, company, content, month=None):
        """[(row, schedule, serial, normalized serial, month, amount)].

        With ``month`` (the reconciliation's), a row billing a later month or
        more than ``MAX_BACK_BILLED_MONTHS`` before it is refused."""
        rows = self._read_specification_table(content)
        header_row, header = rows[0]
        columns = find_columns(
            header, lessor._get_it_spec_columns(), self.env, header_row
        )
        parsed, errors = self._parse_specification_rows(
            rows[1:], columns, lessor, company, month
        )
        raise_errors(
            self.env, errors, self.env._("The specification was not imported:")
        )
        if not parsed:
            raise UserError(
                self.env._("The specification has a header row but no rows.")
            )
        return parsed

    @api.model
    def _get_specification_schedules(self, lessor, company):
        """The references, casefolded, a specification row of ``lessor`` may
        name its schedule by: our schedule reference or the lessor's own
        (e.g. "Bilaga 1"). Finance imports the specification without access
        to the schedules: only those of this lessor and company are read."""
        schedules = set()
        for schedule in (
            self.env["it.lease.schedule"]
            .sudo()
            .search([("lessor_id", "=", lessor.id), ("company_id", "=", company.id)])
        ):
            schedules.add(schedule.name.strip().casefold())
            if schedule.lessor_reference:
                schedules.add(schedule.lessor_reference.strip().casefold())
        return schedules

    @api.model
    def _parse_specification_rows(self, rows, columns, lessor, company, month):
        """(the parsed rows, the errors naming each refused row) of the
        specification's ``rows`` (without the header), each read from the
        ``columns`` (field: index) that ``find_columns`` found."""
        earliest = month and fields.Date.subtract(
            month.replace(day=1), months=MAX_BACK_BILLED_MONTHS
        )
        schedules = self._get_specification_schedules(lessor, company)
        normalize = self.env["maintenance.equipment"]._normalize_serial
        parsed, errors, seen = [], [], {}
        # A month's file names one or two periods, a few annexes and the same
        # rents again and again: each distinct text is read once.
        months, amounts, known_schedules = {}, {}, {}
        # Every row has as many cells as the header (read_table refuses the
        # others), so each column is at its index.
        cells = itemgetter(
            columns["schedule"], columns["serial"], columns["period"], columns["amount"]
        )
        for number, row in rows:
            schedule, serial, period_text, amount_text = cells(row)
            if period_text not in months:
                months[period_text] = self._parse_specification_period(
                    period_text, month, earliest
                )
            if amount_text not in amounts:
                amounts[amount_text] = parse_amount(amount_text, self.env)
            if schedule not in known_schedules:
                known_schedules[schedule] = schedule.casefold() in schedules
            (period, period_problem), (amount, amount_problem) = (
                months[period_text],
                amounts[amount_text],
            )
            key = (normalize(serial), period)
            problems = [
                problem
                for problem in (
                    serial_problem(serial, self.env),
                    period_problem,
                    amount_problem,
                    not known_schedules[schedule]
                    and self._unknown_schedule_problem(schedule, lessor),
                    serial
                    and period
                    and key in seen
                    and self._twice_invoiced_problem(serial, period, seen[key]),
                )
                if problem
            ]
            seen.setdefault(key, number)
            if problems:
                errors.append(
                    self.env._(
                        "Row %(row)s: %(problems)s.",
                        row=number,
                        problems="; ".join(problems),
                    )
                )
                continue
            parsed.append((number, schedule, serial, key[0], period, amount))
        return parsed, errors

    @api.model
    def _unknown_schedule_problem(self, schedule, lessor):
        return self.env._(
            "schedule %(value)r is not a schedule of %(lessor)s",
            value=schedule,
            lessor=lessor.name,
        )

    @api.model
    def _twice_invoiced_problem(self, serial, period, other_row):
        return self.env._(
            "serial number %(serial)s is invoiced twice for %(month)s "
            "(also row %(other)s)",
            serial=serial,
            month=period.strftime("%Y-%m"),
            other=other_row,
        )

    @api.model
    def _parse_specification_period(self, text, month, earliest):
        """(first day of the month, None) of a row's period, or (None,
        problem): not a month, or (with the reconciliation's ``month``) not
        between ``earliest`` and ``month``."""
        period, problem = parse_month(text, self.env)
        if problem or not month:
            return period, problem
        if period > month:
            return None, self.env._(
                "period %(period)s is after %(month)s, the month of this "
                "reconciliation: invoice it in that month's specification",
                period=period.strftime("%Y-%m"),
                month=month.strftime("%Y-%m"),
            )
        if period < earliest:
            return None, self.env._(
                "period %(period)s is more than %(count)s months before "
                "%(month)s, the month of this reconciliation: a back-billed "
                "row goes back %(count)s months at most; reconcile it with "
                "the municipality separately",
                period=period.strftime("%Y-%m"),
                month=month.strftime("%Y-%m"),
                count=MAX_BACK_BILLED_MONTHS,
            )
        return period, None

    @api.model
    def _read_specification_table(self, content):
        """The rows of the specification ``content`` as ``read_table`` gives
        them (header row first). A hook: the e-invoice addon gives the lines
        of a lessor's e-invoice as such a table, checked the same way."""
        return read_table(content, self.env)

    def _classify_specification(self, rows):
        """Store the ``rows`` of the specification, each matched and
        classified as it is written; add the leased devices it does not
        bill."""
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        month_end = fields.Date.end_of(self.date_from, "month")
        params = {
            "reconciliation_id": self.id,
            "company_id": self.company_id.id,
            "lessor_id": self.lessor_id.id,
            "rounding": self.currency_id.rounding,
            "month": self.date_from,
            "month_end": month_end,
            "days_in_month": month_end.day,
        }
        bulk.copy_rows(cr, "it_reconciliation_spec", SPEC_COLUMNS, rows)
        with bulk.bulk_statement(cr):
            # Without statistics, the planner takes a table just filled for
            # a handful of rows.
            cr.execute("ANALYZE it_reconciliation_spec")
            cr.execute(spec_lines_query(params))
            cr.execute(not_invoiced_query(params))
        self.env.invalidate_all()

    # States

    def action_check(self):
        check_groups(
            self, self.env._("mark a reconciliation checked"), IT_MANAGER, BILLING
        )
        for reconciliation in self:
            if not (
                reconciliation.vendor_bill_id
                or (reconciliation.check_note or "").strip()
            ):
                raise UserError(
                    self.env._(
                        "Reconciliation %(name)s: choose the lessor's vendor bill it "
                        "checks, or say in Check Note why there is none.",
                        name=reconciliation.name,
                    )
                )
        self._set_state("checked", ("draft",))
        return True

    def action_dispute(self):
        check_groups(self, self.env._("dispute a lessor invoice"), IT_MANAGER, BILLING)
        self._set_state("disputed", ("checked",))
        return True

    def action_accept(self):
        check_groups(self, self.env._("accept a lessor invoice"), IT_MANAGER, BILLING)
        self._set_state("accepted", ("checked", "disputed"))
        return True

    def action_reset_draft(self):
        check_groups(self, self.env._("reset a reconciliation"), IT_MANAGER, BILLING)
        self._set_state("draft", ("checked", "disputed"))
        return True

    def action_reopen(self):
        """Ask the IT manager for the reason to reopen an accepted
        reconciliation."""
        check_groups(self, self.env._("reopen a reconciliation"), IT_MANAGER)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Reconciliation"),
            "res_model": "it.lease.reconciliation.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_reconciliation_id": self.id},
        }

    def _reopen(self, reason):
        """Reopen accepted reconciliations for a correction: IT managers only,
        with a reason kept in the chatter."""
        check_groups(self, self.env._("reopen a reconciliation"), IT_MANAGER)
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening."))
        for reconciliation in self:
            if reconciliation.state != "accepted":
                raise UserError(
                    self.env._(
                        "Reconciliation %(name)s is not accepted.",
                        name=reconciliation.name,
                    )
                )
        self.sudo().state = "checked"
        for reconciliation in self:
            log_note(
                reconciliation,
                body=self.env._("Reopened: %(reason)s", reason=reason.strip()),
            )
        return True

    def write(self, vals):
        # Accepted freezes it, but for its chatter and its state, which only
        # its steps write (reopening moves it back to checked), and a link
        # shared with the lessor may always be withdrawn (the portal's does
        # once it is accepted).
        frozen = set(vals) - MAIL_FIELDS - {"state"}
        if not vals.get("access_token", True):
            frozen.discard("access_token")
        if frozen:
            accepted = self.filtered(lambda rec: rec.state == "accepted")
            if accepted:
                accepted[:1]._raise_accepted()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_accepted(self):
        accepted = self.filtered(lambda rec: rec.state == "accepted")
        if accepted:
            accepted[:1]._raise_accepted()

    def _raise_accepted(self):
        raise UserError(
            self.env._(
                "Reconciliation %(name)s is accepted: it is the record of what was "
                "agreed with the lessor and cannot be changed or deleted. An IT "
                "leasing manager can reopen it, with a reason.",
                name=self.name,
            )
        )

    def _set_state(self, state, allowed_from):
        for reconciliation in self:
            if reconciliation.state not in allowed_from:
                raise UserError(
                    self.env._(
                        "Reconciliation %(name)s cannot go from %(current)s to %(new)s.",
                        name=reconciliation.name,
                        current=reconciliation.state,
                        new=state,
                    )
                )
        # The actions checked the user's groups and access to the records.
        self.sudo().state = state

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.it_lease_reconciliation_line_action"
        )
        action["domain"] = [("reconciliation_id", "=", self.id)]
        action["context"] = {"search_default_discrepancies": 1}
        return action
