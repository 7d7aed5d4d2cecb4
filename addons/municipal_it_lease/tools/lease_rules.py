# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The two rules every lease query shares, written once.

* The days a lease line is charged: from its start to the last day it is
  charged (``it_lease_line.date_charged_until``, computed by the lease line
  from its end date, its end-of-lease decision, the day the lessor took the
  device back and the schedule's terms; empty while the rent runs on until
  the device is returned).
* The activity code valid on a day: the code-history period whose start (empty
  = since ever) and end (empty = until further notice) enclose the day.

Charging, the lessor invoice reconciliation, the overlap check, the plan-change
preview and the reports compose these fragments instead of repeating them; a
search uses the domain built by the same rule (``*_domain``), and Python code
that checks one record filters it with that domain (``filtered_domain``).
"""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import SQL

# Schedules whose lines are charged: an ended schedule still charges the days
# before it ended, and a device undecided after its end runs on.
CHARGED_SCHEDULE_STATES = ("active", "ended")


def month_start(day):
    """The first day of the month of ``day`` (a date or its string)."""
    return fields.Date.to_date(day).replace(day=1)


def month_end(day):
    """The last day of the month of ``day``."""
    return fields.Date.to_date(day) + relativedelta(day=31)


def charged_until(line):
    """The last day lease line ``line`` (a table alias) is charged; PostgreSQL's
    ``infinity`` while the rent runs on until the device is returned."""
    return SQL(
        "COALESCE(%s, 'infinity'::date)",
        SQL.identifier(line, "date_charged_until"),
    )


def charged_between(line, date_from, date_to):
    """Condition: lease line ``line`` is charged on some day from ``date_from``
    to ``date_to`` (SQL values or fragments)."""
    return SQL(
        "(%s <= %s AND %s >= %s)",
        SQL.identifier(line, "date_start"),
        date_to,
        charged_until(line),
        date_from,
    )


def charged_days(line, date_from, date_to):
    """(first day, last day) of lease line ``line`` charged within the period
    from ``date_from`` to ``date_to``; use with :func:`charged_between`."""
    return (
        SQL("GREATEST(%s, %s)", SQL.identifier(line, "date_start"), date_from),
        SQL("LEAST(%s, %s)", charged_until(line), date_to),
    )


def charged_between_domain(date_from, date_to=None):
    """Domain on ``it.lease.line``: charged on some day from ``date_from`` to
    ``date_to`` (open: any day from ``date_from`` on); the domain of
    :func:`charged_between`."""
    domain = [
        "|",
        ("date_charged_until", "=", False),
        ("date_charged_until", ">=", date_from),
    ]
    if date_to:
        domain.append(("date_start", "<=", date_to))
    return domain


def prorate(rent, days, days_in_period, rounding):
    """``rent`` for ``days`` of a month of ``days_in_period`` days, rounded to
    the currency's ``rounding`` (half up): the one pro-rata rule."""
    return SQL(
        "ROUND(%s * %s / %s / %s) * %s", rent, days, days_in_period, rounding, rounding
    )


def prorated_rent(line, date_from, date_to, days_in_period, rounding):
    """The rent of lease line ``line`` for the days it is charged between
    ``date_from`` and ``date_to``: monthly rent x days / days in the month,
    rounded to the currency (half up)."""
    first, last = charged_days(line, date_from, date_to)
    return prorate(
        SQL.identifier(line, "monthly_rent"),
        SQL("(%s - %s + 1)", last, first),
        days_in_period,
        rounding,
    )


def code_valid_on(code, day):
    """Condition: code-history period ``code`` (a table alias) is valid on
    ``day``."""
    return code_valid_between(code, day, day)


def code_valid_between(code, date_from, date_to):
    """Condition: code-history period ``code`` is valid on some day from
    ``date_from`` to ``date_to``."""
    return SQL(
        "(COALESCE(%s, '-infinity'::date) <= %s AND COALESCE(%s, 'infinity'::date) >= %s)",
        SQL.identifier(code, "date_from"),
        date_to,
        SQL.identifier(code, "date_to"),
        date_from,
    )


def code_valid_domain(date_from, date_to=None):
    """Domain on ``it.activity.code.assignment``: valid on some day from
    ``date_from`` to ``date_to`` (by default on ``date_from`` only); the
    domain of :func:`code_valid_between`."""
    return [
        "|",
        ("date_from", "=", False),
        ("date_from", "<=", date_to or date_from),
        "|",
        ("date_to", "=", False),
        ("date_to", ">=", date_from),
    ]
