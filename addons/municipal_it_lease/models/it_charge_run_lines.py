# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited
"""The charge lines of a run, written by one SQL statement.

A large municipality has 100,000 devices: the month's lines are priced in the
database. The statement is composed of named fragments, one per step, each
rule taken from ``tools/lease_rules.py`` (where the same rules have their
Python and domain forms)."""

import calendar
import logging

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import bulk, lease_rules
from ..tools.access import BILLING, check_groups
from ..tools.lease_rules import CHARGED_SCHEDULE_STATES

_logger = logging.getLogger(__name__)


def _leased_sql(params):
    """Each lease line charged in the month, with its segment: the days of
    the month it is charged."""
    date_from = SQL("%s::date", params["date_from"])
    date_to = SQL("%s::date", params["date_to"])
    seg_start, seg_end = lease_rules.charged_days("line", date_from, date_to)
    return SQL(
        """
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
       AND %(charged)s""",
        seg_start=seg_start,
        seg_end=seg_end,
        company_id=params["company_id"],
        states=params["states"],
        charged=lease_rules.charged_between("line", date_from, date_to),
    )


def _coded_sql():
    """The part of each segment (``lease``) each period of the device's code
    history covers."""
    return SQL(
        """
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
       AND %(code_valid)s""",
        code_valid=lease_rules.code_valid_between(
            "code", SQL("lease.seg_start"), SQL("lease.seg_end")
        ),
    )


def _uncovered_sql():
    """The days of each segment no code covers, as one part without a code
    (which blocks posting)."""
    days_left = SQL(
        "(lease.seg_end - lease.seg_start + 1)"
        " - COALESCE(SUM(coded.day_to - coded.day_from + 1), 0)"
    )
    return SQL(
        """
    SELECT lease.lease_line_id,
           lease.equipment_id,
           lease.monthly_rent,
           lease.currency_id,
           NULL::integer AS activity_code_id,
           lease.seg_start AS day_from,
           lease.seg_end AS day_to,
           %(days_left)s AS days
      FROM lease
 LEFT JOIN coded ON coded.lease_line_id = lease.lease_line_id
  GROUP BY lease.lease_line_id, lease.equipment_id, lease.monthly_rent,
           lease.currency_id, lease.seg_start, lease.seg_end
    HAVING %(days_left)s > 0""",
        days_left=days_left,
    )


def _priced_sql():
    """Every part (``segment``) with the days of its lease line up to its
    end, in day order: what its amount is rounded cumulatively on."""
    return SQL(
        """
    SELECT segment.*,
           SUM(segment.days) OVER (
               PARTITION BY segment.lease_line_id
               ORDER BY segment.day_from, segment.activity_code_id NULLS LAST
               ROWS UNBOUNDED PRECEDING
           ) AS cumulated_days
      FROM segment"""
    )


def _amount_sql(params):
    """A part's amount: the rounded rent up to its last day less the rounded
    rent before its first, so the parts of a month add up to exactly the
    rounded charge of the whole."""

    def prorated(days):
        return lease_rules.prorate(
            SQL("priced.monthly_rent"),
            days,
            params["days_in_month"],
            SQL("currency.rounding"),
        )

    return SQL(
        "%s - %s",
        prorated(SQL("priced.cumulated_days")),
        prorated(SQL("(priced.cumulated_days - priced.days)")),
    )


def _insert_sql(params):
    """Insert each priced part (``priced``) as a charge line of the run, with
    the columns extensions add (``extra_values``: SQL on ``equipment``)."""
    extra = params.get("extra_values", {})
    return SQL(
        """
INSERT INTO it_charge_line (
    run_id, equipment_id, lease_line_id, activity_code_id,
    date_from, date_to, days, monthly_rent, amount%(extra_columns)s
)
SELECT %(run_id)s, priced.equipment_id, priced.lease_line_id,
       priced.activity_code_id, priced.day_from, priced.day_to, priced.days,
       priced.monthly_rent,
       %(amount)s
       %(extra_values)s
  FROM priced
  JOIN res_currency currency ON currency.id = priced.currency_id
%(equipment_join)s
""",
        run_id=params["run_id"],
        amount=_amount_sql(params),
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


def _charge_lines_query(params):
    """One row per device, lease line and activity code for the month: each
    lease segment split by the code valid on each day, priced and inserted."""
    return SQL(
        """
WITH lease AS (%(lease)s
), coded AS (%(coded)s
), uncovered AS (%(uncovered)s
), segment AS (
    SELECT coded.*, coded.day_to - coded.day_from + 1 AS days FROM coded
    UNION ALL
    SELECT * FROM uncovered
), priced AS (%(priced)s
)
%(insert)s""",
        lease=_leased_sql(params),
        coded=_coded_sql(),
        uncovered=_uncovered_sql(),
        priced=_priced_sql(),
        insert=_insert_sql(params),
    )


class ItChargeRun(models.Model):
    _inherit = "it.charge.run"

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
        """Replace the lines of this draft run by the month's, computed from
        the register (``_charge_lines_query``)."""
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
