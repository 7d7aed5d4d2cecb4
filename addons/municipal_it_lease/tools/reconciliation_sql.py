# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The statements of the lessor-invoice reconciliation: each row of the
specification matched to the register, priced and classified as it is
written, and the leased devices the specification does not bill. The rules
of a lease line's days and pro-rata rent are those of the internal charge
(``lease_rules``)."""

from odoo.tools import SQL

from . import lease_rules
from .lease_rules import CHARGED_SCHEDULE_STATES

#: The columns of the temporary table ``it_reconciliation_spec``: the parsed
#: rows of the specification (``_parse_specification``), in their order.
SPEC_COLUMNS = [
    ("row", "integer"),
    ("schedule_ref", "varchar"),
    ("serial_no", "varchar"),
    ("serial_normalized", "varchar"),
    ("period", "date"),
    ("invoiced_amount", "numeric"),
]


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


def expected_query(params):
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


def spec_lines_query(params):
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
        expected=expected_query(params),
        leased_by_lessor=leased_by_lessor(SQL("equipment.id"), params["lessor_id"]),
        charged_until=lease_rules.charged_until("lease"),
        lessor_id=params["lessor_id"],
        rounding=params["rounding"],
        reconciliation_id=params["reconciliation_id"],
        company_id=params["company_id"],
    )


def not_invoiced_query(params):
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
