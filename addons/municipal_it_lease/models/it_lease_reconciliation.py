# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from operator import itemgetter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import bulk, lease_rules
from ..tools.access import BILLING, IT_MANAGER, check_groups
from ..tools.chatter import log_note
from ..tools.fileparse import (
    parse_amount,
    parse_month,
    raise_errors,
    read_table,
)
from ..tools.guard import (
    internal,
    is_internal,
    refuse_system_writes,
    system_create,
)
from ..tools.lease_rules import CHARGED_SCHEDULE_STATES
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


def leased_by_lessor(equipment_id, lessor_id):
    """SQL condition: the device ``equipment_id`` (an SQL expression) is or
    was leased from ``lessor_id`` (a lease line on a schedule of the lessor
    that is not cancelled). The devices a lessor's reconciliation may name;
    any other serial it bills is "not in the register"."""
    return SQL(
        """EXISTS (
            SELECT 1
              FROM it_lease_line lessor_lease
              JOIN it_lease_schedule lessor_schedule
                ON lessor_schedule.id = lessor_lease.schedule_id
             WHERE lessor_lease.equipment_id = %(equipment_id)s
               AND lessor_schedule.lessor_id = %(lessor_id)s
               AND lessor_schedule.state != 'cancelled')""",
        equipment_id=equipment_id,
        lessor_id=lessor_id,
    )


def _expected_query(params):
    """The amount the register expects per specification row (of the CTE
    ``spec``): the rent pro rata by calendar day, as in the internal charge,
    summed over the lease lines of this lessor charged in the month (an
    extension can start mid-month). A device running on after its end date is
    still expected: the lessor bills it until it is returned."""
    period, period_end = SQL("spec.period"), SQL("spec.period_end")
    return SQL(
        """
SELECT spec.row,
       MAX(lease.id) AS lease_line_id,
       SUM(%(rent)s) AS expected
  FROM spec
  JOIN it_lease_line lease ON lease.equipment_id = spec.equipment_id
  JOIN it_lease_schedule schedule ON schedule.id = lease.schedule_id
 WHERE schedule.lessor_id = %(lessor_id)s
   AND schedule.state IN %(states)s
   AND %(charged)s
 GROUP BY spec.row
""",
        rent=lease_rules.prorated_rent(
            "lease",
            period,
            period_end,
            SQL("(spec.period_end - spec.period + 1)"),
            params["rounding"],
        ),
        charged=lease_rules.charged_between("lease", period, period_end),
        lessor_id=params["lessor_id"],
        states=CHARGED_SCHEDULE_STATES,
    )


def _spec_lines_query(params):
    """Store the rows of the specification (the temporary table
    ``it_reconciliation_spec``), each matched to the register (its device by
    the serial key, unique per company), with its lease line, expected amount
    and class: every row written once, by one statement.

    A row is matched only to a device this lessor leases or has leased to
    the company (a lease line on a schedule of the lessor that is not
    cancelled). A serial of another lessor's device, or of a device on no
    lease, is written exactly as a serial the register does not know: not in
    the register, no device, nothing expected. The lessor, who reads its own
    reconciliations in the portal, thus learns nothing of the register beyond
    its own devices."""
    return SQL(
        """
WITH spec AS MATERIALIZED (
    SELECT spec.*,
           (spec.period + INTERVAL '1 month - 1 day')::date AS period_end,
           equipment.id AS equipment_id
      FROM it_reconciliation_spec spec
 LEFT JOIN maintenance_equipment equipment
        ON equipment.company_id = %(company_id)s
       AND equipment.serial_no_normalized = spec.serial_normalized
       AND %(leased_by_lessor)s
), expected AS (%(expected)s)
INSERT INTO it_lease_reconciliation_line (
    reconciliation_id, row, schedule_ref, serial_no, serial_normalized,
    period, invoiced_amount, equipment_id, lease_line_id, expected_amount,
    difference, status)
SELECT %(reconciliation_id)s, spec.row, spec.schedule_ref, spec.serial_no,
       spec.serial_normalized, spec.period, spec.invoiced_amount,
       spec.equipment_id, expected.lease_line_id,
       COALESCE(expected.expected, 0),
       spec.invoiced_amount - COALESCE(expected.expected, 0),
       CASE
        WHEN spec.equipment_id IS NULL THEN 'not_in_register'
        WHEN expected.lease_line_id IS NULL AND EXISTS (
            SELECT 1
              FROM it_lease_line lease
              JOIN it_lease_schedule schedule ON schedule.id = lease.schedule_id
             WHERE lease.equipment_id = spec.equipment_id
               AND schedule.lessor_id = %(lessor_id)s
               AND lease.end_decision IN ('return', 'buy_out')
               AND %(charged_until)s < spec.period) THEN 'after_end'
        WHEN expected.lease_line_id IS NULL THEN 'not_in_register'
        WHEN ABS(spec.invoiced_amount - expected.expected) < %(rounding)s / 2
            THEN 'matched'
        ELSE 'amount_differs' END
  FROM spec
  LEFT JOIN expected ON expected.row = spec.row
 ORDER BY spec.row
""",
        expected=_expected_query(params),
        leased_by_lessor=leased_by_lessor(SQL("equipment.id"), params["lessor_id"]),
        charged_until=lease_rules.charged_until("lease"),
        lessor_id=params["lessor_id"],
        rounding=params["rounding"],
        reconciliation_id=params["reconciliation_id"],
        company_id=params["company_id"],
    )


def _not_invoiced_query(params):
    """Devices on a running lease of this lessor in the month that the
    specification (the temporary table ``it_reconciliation_spec``) does not
    bill: the billed ones are left out by their serial key first, so only
    the few left are priced (a lease line's device is of the lease's
    company, as the specification's devices are matched)."""
    month = SQL("%s::date", params["month"])
    month_end = SQL("%s::date", params["month_end"])
    return SQL(
        """
INSERT INTO it_lease_reconciliation_line (
    reconciliation_id, serial_no, serial_normalized, period,
    invoiced_amount, expected_amount, difference, equipment_id, lease_line_id,
    status, schedule_ref)
SELECT %(reconciliation_id)s, equipment.serial_no,
       equipment.serial_no_normalized, %(month)s, 0, expected.amount,
       -expected.amount, equipment.id, expected.lease_line_id, 'not_invoiced',
       expected.schedule_name
  FROM (
    SELECT lease.equipment_id,
           MAX(lease.id) AS lease_line_id,
           MAX(schedule.name) AS schedule_name,
           SUM(%(rent)s) AS amount
      FROM it_lease_line lease
      JOIN it_lease_schedule schedule ON schedule.id = lease.schedule_id
      JOIN maintenance_equipment device ON device.id = lease.equipment_id
     WHERE schedule.lessor_id = %(lessor_id)s
       AND schedule.company_id = %(company_id)s
       AND schedule.state IN %(states)s
       AND %(charged)s
       AND NOT EXISTS (
            SELECT 1 FROM it_reconciliation_spec spec
             WHERE spec.serial_normalized = device.serial_no_normalized
               AND spec.period = %(month)s)
  GROUP BY lease.equipment_id
  ) AS expected
  JOIN maintenance_equipment equipment ON equipment.id = expected.equipment_id
""",
        rent=lease_rules.prorated_rent(
            "lease", month, month_end, params["days_in_month"], params["rounding"]
        ),
        charged=lease_rules.charged_between("lease", month, month_end),
        reconciliation_id=params["reconciliation_id"],
        company_id=params["company_id"],
        lessor_id=params["lessor_id"],
        month=month,
        states=CHARGED_SCHEDULE_STATES,
    )


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
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
        _ = self.env._
        earliest = month and fields.Date.subtract(
            month.replace(day=1), months=MAX_BACK_BILLED_MONTHS
        )
        rows = self._read_specification_table(content)
        header_row, header = rows[0]
        columns = find_columns(
            header, lessor._get_it_spec_columns(), self.env, header_row
        )
        # The lessor names its annexes by its own reference (e.g. "Bilaga
        # 1"); our schedule reference works too. Finance imports the
        # specification without access to the schedules: only the references
        # of this lessor and company are compared.
        schedules = set()
        for schedule in (
            self.env["it.lease.schedule"]
            .sudo()
            .search([("lessor_id", "=", lessor.id), ("company_id", "=", company.id)])
        ):
            schedules.add(schedule.name.strip().casefold())
            if schedule.lessor_reference:
                schedules.add(schedule.lessor_reference.strip().casefold())
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
        for number, row in rows[1:]:
            schedule, serial, period_text, amount_text = cells(row)
            if period_text not in months:
                months[period_text] = self._parse_specification_period(
                    period_text, month, earliest
                )
            period, period_problem = months[period_text]
            if amount_text not in amounts:
                amounts[amount_text] = parse_amount(amount_text, self.env)
            amount, amount_problem = amounts[amount_text]
            if schedule not in known_schedules:
                known_schedules[schedule] = schedule.casefold() in schedules
            problems = [
                problem
                for problem in (
                    serial_problem(serial, self.env),
                    period_problem,
                    amount_problem,
                )
                if problem
            ]
            if not known_schedules[schedule]:
                problems.append(
                    _(
                        "schedule %(value)r is not a schedule of %(lessor)s",
                        value=schedule,
                        lessor=lessor.name,
                    )
                )
            key = (normalize(serial), period)
            if serial and period and key in seen:
                problems.append(
                    _(
                        "serial number %(serial)s is invoiced twice for %(month)s "
                        "(also row %(other)s)",
                        serial=serial,
                        month=period.strftime("%Y-%m"),
                        other=seen[key],
                    )
                )
            seen.setdefault(key, number)
            if problems:
                errors.append(
                    _(
                        "Row %(row)s: %(problems)s.",
                        row=number,
                        problems="; ".join(problems),
                    )
                )
                continue
            parsed.append((number, schedule, serial, key[0], period, amount))
        raise_errors(self.env, errors, _("The specification was not imported:"))
        if not parsed:
            raise UserError(_("The specification has a header row but no rows."))
        return parsed

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
        bulk.copy_rows(
            cr,
            "it_reconciliation_spec",
            [
                ("row", "integer"),
                ("schedule_ref", "varchar"),
                ("serial_no", "varchar"),
                ("serial_normalized", "varchar"),
                ("period", "date"),
                ("invoiced_amount", "numeric"),
            ],
            rows,
        )
        with bulk.bulk_statement(cr):
            # Without statistics, the planner takes a table just filled for
            # a handful of rows.
            cr.execute("ANALYZE it_reconciliation_spec")
            cr.execute(_spec_lines_query(params))
            cr.execute(_not_invoiced_query(params))
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
        self.with_env(internal(self.env)).state = "checked"
        for reconciliation in self:
            log_note(
                reconciliation,
                body=self.env._("Reopened: %(reason)s", reason=reason.strip()),
            )
        return True

    @api.model_create_multi
    def create(self, vals_list):
        reconciliations = system_create(self, vals_list, {"state"})
        return super(ItLeaseReconciliation, reconciliations).create(vals_list)

    def write(self, vals):
        # Its state moves by its buttons only (checked needs the bill or a
        # reason; accepted freezes it).
        refuse_system_writes(self, vals, {"state"})
        frozen = set(vals) - MAIL_FIELDS
        if frozen and not is_internal(self.env):
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
        self.with_env(internal(self.env)).state = state

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.it_lease_reconciliation_line_action"
        )
        action["domain"] = [("reconciliation_id", "=", self.id)]
        action["context"] = {"search_default_discrepancies": 1}
        return action
