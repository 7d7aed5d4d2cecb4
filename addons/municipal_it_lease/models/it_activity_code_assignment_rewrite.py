# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools import lease_rules

# Moves every device of a company that holds an old code on the effective date
# to its new code from that date, in one statement: a plan change touches up to
# 100,000 devices. All rows are read from one snapshot, so a swap (A -> B and
# B -> A) works, and rows already set by this plan change are left alone, so
# applying it twice changes nothing. A period running over the date is split
# (closed the day before, continued with the new code: the code before is the
# closed period's); a period starting on the date is recoded in place and keeps
# its code and plan change before in previous_code_id and previous_remap_id.
# Each row returned tells whether the period was already recoded in place by
# another plan change (one level of "before" is kept: that is refused).
REMAP_SQL = """
WITH mapping AS (
    SELECT * FROM unnest(%(old_ids)s::int[], %(new_ids)s::int[]) AS m(old_id, new_id)
), affected AS (
    SELECT code.id, code.equipment_id, code.company_id, code.date_from,
           code.date_to, code.activity_code_id AS old_id, mapping.new_id,
           code.remap_id AS owner_id,
           %(remap_id)s::int IS NOT NULL AND code.remap_id IS NOT NULL
             AND code.previous_code_id IS NOT NULL AS recoded_before
      FROM it_activity_code_assignment code
      JOIN mapping ON mapping.old_id = code.activity_code_id
     WHERE code.company_id = %(company_id)s
       AND %(code_valid)s
       AND (%(remap_id)s::int IS NULL OR code.remap_id IS DISTINCT FROM %(remap_id)s)
       AND (%(equipment_ids)s::int[] IS NULL
            OR code.equipment_id = ANY(%(equipment_ids)s::int[]))
), continued AS (
    INSERT INTO it_activity_code_assignment (
        equipment_id, company_id, activity_code_id, date_from, date_to,
        remap_id, split_from_id, previous_code_id,
        create_uid, create_date, write_uid, write_date)
    SELECT equipment_id, company_id, new_id, %(date)s, date_to,
           %(remap_id)s, id, NULL,
           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
      FROM affected
     WHERE date_from IS NULL OR date_from < %(date)s
    RETURNING equipment_id, FALSE AS recoded_before
), closed AS (
    UPDATE it_activity_code_assignment code
       SET date_to = %(date)s::date - 1,
           write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
      FROM affected
     WHERE code.id = affected.id
       AND (affected.date_from IS NULL OR affected.date_from < %(date)s)
    RETURNING code.id
), recoded AS (
    UPDATE it_activity_code_assignment code
       SET activity_code_id = affected.new_id,
           remap_id = %(remap_id)s,
           previous_code_id = affected.old_id,
           previous_remap_id = affected.owner_id,
           write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
      FROM affected
     WHERE code.id = affected.id AND affected.date_from = %(date)s
    RETURNING code.equipment_id, affected.recoded_before
)
SELECT equipment_id, recoded_before FROM continued
 UNION ALL
SELECT equipment_id, recoded_before FROM recoded
"""

# Undoes a plan change: the periods it continued are deleted and the period
# they continued gets its end back; periods it recoded in place get their code
# and plan change before back (a period continued by an earlier plan change
# stays that one's). A continued period has no previous_code_id of its own.
UNDO_REMAP_SQL = """
WITH restored AS (
    UPDATE it_activity_code_assignment before
       SET date_to = after.date_to,
           write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
      FROM it_activity_code_assignment after
     WHERE after.remap_id = %(remap_id)s AND after.split_from_id = before.id
       AND after.previous_code_id IS NULL
    RETURNING before.equipment_id
), removed AS (
    DELETE FROM it_activity_code_assignment
     WHERE remap_id = %(remap_id)s AND split_from_id IS NOT NULL
       AND previous_code_id IS NULL
    RETURNING equipment_id
), recoded AS (
    UPDATE it_activity_code_assignment
       SET activity_code_id = previous_code_id,
           remap_id = previous_remap_id,
           previous_code_id = NULL,
           previous_remap_id = NULL,
           write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
     WHERE remap_id = %(remap_id)s AND previous_code_id IS NOT NULL
    RETURNING equipment_id
)
SELECT equipment_id, FALSE FROM removed
 UNION ALL
SELECT equipment_id, FALSE FROM recoded
"""

# Sets each device's current activity code to the one valid on a day.
SYNC_CURRENT_CODE_SQL = """
UPDATE maintenance_equipment equipment
   SET activity_code_id = code.activity_code_id,
       write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
  FROM it_activity_code_assignment code
 WHERE code.equipment_id = equipment.id
   AND %(code_valid)s
   AND equipment.activity_code_id IS DISTINCT FROM code.activity_code_id
   AND (%(equipment_ids)s::int[] IS NULL
        OR equipment.id = ANY(%(equipment_ids)s::int[]))
"""


class ItActivityCodeAssignment(models.Model):
    """The history rewritten in one statement: a plan change, its undo, and
    the devices' current code brought up to the day."""

    _inherit = "it.activity.code.assignment"

    @api.model
    def _remap(self, company, mapping, effective_date, remap=None, equipments=None):
        """Move the devices of ``company`` holding an old code of ``mapping``
        (``{old_code: new_code}``) on ``effective_date`` to the new code from
        that date, all in one statement. ``equipments`` limits the change to
        those devices. Returns the ids of the devices moved."""
        old_codes = list(mapping)
        company._lock_it_charging()
        return self._rewrite_history(
            effective_date,
            SQL(
                REMAP_SQL,
                old_ids=[code.id for code in old_codes],
                new_ids=[mapping[code].id for code in old_codes],
                company_id=company.id,
                date=effective_date,
                code_valid=lease_rules.code_valid_on(
                    "code", SQL("%s::date", effective_date)
                ),
                remap_id=remap.id if remap else None,
                equipment_ids=equipments.ids if equipments is not None else None,
                uid=self.env.uid,
            ),
        )

    @api.model
    def _undo_remap(self, remap):
        """Restore the codes a plan change replaced. Returns the devices."""
        remap.company_id._lock_it_charging()
        return self._rewrite_history(
            remap.effective_date,
            SQL(UNDO_REMAP_SQL, remap_id=remap.id, uid=self.env.uid),
        )

    @api.model
    def _rewrite_history(self, effective_date, query):
        """Run ``query``, a statement that rewrites the history from
        ``effective_date`` and returns the ids of the devices it touched;
        bring their current code and the ORM cache up to date."""
        self.env.flush_all()
        with self.env.cr.savepoint(flush=False):
            self.env.cr.execute(query)
            rows = self.env.cr.fetchall()
            self._check_not_recoded_twice(
                effective_date, [equipment_id for equipment_id, twice in rows if twice]
            )
        equipment_ids = [row[0] for row in rows]
        # A change from a later day leaves today's codes as they are (the
        # daily job gives the devices their new code on the day): the usual
        # plan change, decided in the autumn for 1 January, has nothing to
        # bring up to date today.
        if effective_date <= fields.Date.context_today(self):
            self._sync_current_codes(equipment_ids)
        self.env.invalidate_all()
        return equipment_ids

    @api.model
    def _check_not_recoded_twice(self, effective_date, equipment_ids):
        """A plan change recodes in place a period that starts on its date
        and remembers the code before, for its undo: one level only. A period
        another applied plan change already recoded in place is refused."""
        if not equipment_ids:
            return
        devices = self.env["maintenance.equipment"].browse(equipment_ids)
        raise UserError(
            self.env._(
                "%(count)s devices have a period from %(date)s whose code another "
                "applied plan change already replaced: %(devices)s. Undo that plan "
                "change, then apply one plan change with both mappings.",
                count=len(devices),
                date=format_date(self.env, effective_date),
                devices=", ".join(devices[:20].mapped("display_name")),
            )
        )

    @api.model
    def _sync_current_codes(self, equipment_ids=None):
        """Give devices the activity code valid today, e.g. when a plan change
        decided in December takes effect on 1 January."""
        if equipment_ids is not None and not equipment_ids:
            return
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            SQL(
                SYNC_CURRENT_CODE_SQL,
                code_valid=lease_rules.code_valid_on("code", SQL("%s::date", today)),
                equipment_ids=equipment_ids,
                uid=self.env.uid,
            )
        )
        self.env["maintenance.equipment"].invalidate_model(["activity_code_id"])

    @api.model
    def _cron_sync_current_codes(self):
        self._sync_current_codes()
