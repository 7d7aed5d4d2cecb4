# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools import lease_rules
from ..tools.guard import refuse_system_writes, system_create

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


# The database's own guard: a statement that changes the code of a device on a
# day a posted charge run charged is refused, whoever runs it. Each trigger
# lists the changed days per device (an inserted or deleted period, or the
# days an update moved), and the check joins them to the posted charge lines.
CODE_HISTORY_GUARD_SQL = """
CREATE OR REPLACE FUNCTION it_code_history_check_posted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    equipment_ids integer[];
    days_from date[];
    days_to date[];
    hit record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(equipment_id), array_agg(COALESCE(date_from, '-infinity')),
               array_agg(COALESCE(date_to, 'infinity'))
          INTO equipment_ids, days_from, days_to
          FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(equipment_id), array_agg(COALESCE(date_from, '-infinity')),
               array_agg(COALESCE(date_to, 'infinity'))
          INTO equipment_ids, days_from, days_to
          FROM old_rows;
    ELSE
        SELECT array_agg(changed.equipment_id), array_agg(changed.day_from),
               array_agg(changed.day_to)
          INTO equipment_ids, days_from, days_to
          FROM old_rows o
          JOIN new_rows n ON n.id = o.id,
       LATERAL (
            -- Another device or code: every day of both periods.
            SELECT o.equipment_id, COALESCE(o.date_from, '-infinity'::date) AS day_from,
                   COALESCE(o.date_to, 'infinity'::date) AS day_to
             WHERE o.equipment_id != n.equipment_id
                OR o.activity_code_id != n.activity_code_id
            UNION ALL
            SELECT n.equipment_id, COALESCE(n.date_from, '-infinity'),
                   COALESCE(n.date_to, 'infinity')
             WHERE o.equipment_id != n.equipment_id
                OR o.activity_code_id != n.activity_code_id
            UNION ALL
            -- Same code, moved start: the days between the two starts.
            SELECT n.equipment_id,
                   LEAST(COALESCE(o.date_from, '-infinity'),
                         COALESCE(n.date_from, '-infinity')),
                   GREATEST(COALESCE(o.date_from, '-infinity'),
                            COALESCE(n.date_from, '-infinity')) - 1
             WHERE o.equipment_id = n.equipment_id
               AND o.activity_code_id = n.activity_code_id
               AND o.date_from IS DISTINCT FROM n.date_from
            UNION ALL
            -- Same code, moved end: the days between the two ends.
            SELECT n.equipment_id,
                   LEAST(COALESCE(o.date_to, 'infinity'),
                         COALESCE(n.date_to, 'infinity')) + 1,
                   GREATEST(COALESCE(o.date_to, 'infinity'),
                            COALESCE(n.date_to, 'infinity'))
             WHERE o.equipment_id = n.equipment_id
               AND o.activity_code_id = n.activity_code_id
               AND o.date_to IS DISTINCT FROM n.date_to
        ) AS changed;
    END IF;
    IF equipment_ids IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT run.name, equipment.serial_no INTO hit
      FROM unnest(equipment_ids, days_from, days_to)
           AS change(equipment_id, day_from, day_to)
      JOIN it_charge_line charge
        ON charge.equipment_id = change.equipment_id
       AND charge.date_to >= change.day_from
       AND charge.date_from <= change.day_to
      JOIN it_charge_run run ON run.id = charge.run_id AND run.state = 'posted'
      JOIN maintenance_equipment equipment ON equipment.id = change.equipment_id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'The activity code of device % cannot change on days charge run % charged: that run is posted. Reverse that month''s charge first.',
            hit.serial_no, hit.name
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS it_code_history_insert ON it_activity_code_assignment;
DROP TRIGGER IF EXISTS it_code_history_update ON it_activity_code_assignment;
DROP TRIGGER IF EXISTS it_code_history_delete ON it_activity_code_assignment;
CREATE TRIGGER it_code_history_insert AFTER INSERT ON it_activity_code_assignment
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION it_code_history_check_posted();
CREATE TRIGGER it_code_history_update AFTER UPDATE ON it_activity_code_assignment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION it_code_history_check_posted();
CREATE TRIGGER it_code_history_delete AFTER DELETE ON it_activity_code_assignment
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION it_code_history_check_posted();
"""

# What a plan change records on the periods it wrote, for its undo, and the
# company (the device's): written by the plan change's own statements only.
# Set by hand (or copied with a period), they would make an undo delete or
# recode periods it never wrote, or a plan change miss a device.
SYSTEM_FIELDS = {
    "remap_id",
    "split_from_id",
    "previous_code_id",
    "previous_remap_id",
    "company_id",
}


class ItActivityCodeAssignment(models.Model):
    """Which activity code pays for a device over which days.

    A device's codes form a gap-free chain of periods: a change effective on a
    date closes the running period the day before and opens a new one, so the
    monthly charge can charge every day to the code valid on that day. An empty
    start means "since the device was registered".
    """

    _name = "it.activity.code.assignment"
    _description = "Activity Code History"
    _order = "equipment_id, date_from nulls first, id"

    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True
    )
    activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        required=True,
        ondelete="restrict",
        index=True,
    )
    date_from = fields.Date(string="Valid From")
    date_to = fields.Date(string="Valid To")
    remap_id = fields.Many2one(
        comodel_name="it.activity.code.remap",
        string="Plan Change",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The plan change that set this code; undoing it restores the code before.",
    )
    split_from_id = fields.Many2one(
        comodel_name="it.activity.code.assignment",
        string="Continues",
        ondelete="set null",
        readonly=True,
        copy=False,
        # Undoing a plan change deletes the periods it split off: without an
        # index, each delete scans the table for periods pointing at it.
        index="btree_not_null",
        help="The period this one was split from by a plan change.",
    )
    previous_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="Code Before the Change",
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The code of a period a plan change recoded in place (one starting "
        "on its effective date); undoing the change gives it back. A period split "
        "off by a plan change continues one that keeps its code.",
    )
    previous_remap_id = fields.Many2one(
        comodel_name="it.activity.code.remap",
        string="Plan Change Before",
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The plan change that had set the code a later plan change recoded "
        "in place; undoing the later one gives the period back to it.",
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_from IS NULL OR date_to IS NULL OR date_from <= date_to)",
            "An activity code cannot be valid until before it is valid from.",
        ),
    ]

    def init(self):
        # Whatever writes the history (the ORM, a plan change in SQL, a
        # script), a change of the code on a day already charged in a posted
        # run is refused by the database itself.
        self.env.cr.execute(CODE_HISTORY_GUARD_SQL)

    @api.model_create_multi
    def create(self, vals_list):
        periods = system_create(self, vals_list, SYSTEM_FIELDS)
        self._check_posted_charges(
            [
                (
                    vals.get("equipment_id"),
                    fields.Date.to_date(vals.get("date_from")),
                    fields.Date.to_date(vals.get("date_to")),
                )
                for vals in vals_list
            ]
        )
        return super(ItActivityCodeAssignment, periods).create(vals_list)

    def write(self, vals):
        refuse_system_writes(self, vals, SYSTEM_FIELDS)
        if not {"equipment_id", "activity_code_id", "date_from", "date_to"} & set(vals):
            return super().write(vals)
        before = [
            (rec, rec.equipment_id.id, rec.date_from, rec.date_to) for rec in self
        ]
        code_before = {rec: rec.activity_code_id for rec in self}
        res = super().write(vals)
        changes = []
        for rec, equipment, date_from, date_to in before:
            if (
                rec.equipment_id.id != equipment
                or rec.activity_code_id != code_before[rec]
            ):
                changes += [
                    (equipment, date_from, date_to),
                    (rec.equipment_id.id, rec.date_from, rec.date_to),
                ]
                continue
            if rec.date_from != date_from:
                low = min(date_from or date.min, rec.date_from or date.min)
                high = max(date_from or date.min, rec.date_from or date.min)
                changes.append((equipment, low, fields.Date.subtract(high, days=1)))
            if rec.date_to != date_to:
                low = min(date_to or date.max, rec.date_to or date.max)
                high = max(date_to or date.max, rec.date_to or date.max)
                changes.append((equipment, fields.Date.add(low, days=1), high))
        self._check_posted_charges(changes)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_charged(self):
        self._check_posted_charges(
            [(rec.equipment_id.id, rec.date_from, rec.date_to) for rec in self]
        )

    @api.model
    def _check_posted_charges(self, changes):
        """Refuse code changes ``[(equipment id, first day, last day)]`` (an
        empty day is open) on days a posted charge run charged, naming it.
        The database refuses them too (see ``init``); this check says why in
        words before it gets there."""
        changes = [change for change in changes if change[0]]
        if not changes:
            return
        self.env.cr.execute(
            """
            SELECT run.id, change.equipment_id
              FROM unnest(%s::int[], %s::date[], %s::date[])
                   AS change(equipment_id, day_from, day_to)
              JOIN it_charge_line charge
                ON charge.equipment_id = change.equipment_id
               AND charge.date_to >= COALESCE(change.day_from, '-infinity'::date)
               AND charge.date_from <= COALESCE(change.day_to, 'infinity'::date)
              JOIN it_charge_run run ON run.id = charge.run_id AND run.state = 'posted'
          ORDER BY run.date_from
             LIMIT 1
            """,
            [
                [change[0] for change in changes],
                [
                    change[1] if change[1] and change[1] != date.min else None
                    for change in changes
                ],
                [
                    change[2] if change[2] and change[2] != date.max else None
                    for change in changes
                ],
            ],
        )
        row = self.env.cr.fetchone()
        if row:
            run = self.env["it.charge.run"].browse(row[0])
            device = self.env["maintenance.equipment"].browse(row[1])
            raise UserError(
                self.env._(
                    "The activity code of %(device)s cannot change on days charge "
                    "run %(run)s charged: that run is posted. Choose a date after "
                    "%(end)s, or reverse that month's charge first and run it again.",
                    device=device.display_name,
                    run=run.name,
                    end=format_date(self.env, run.date_to),
                )
            )

    @api.model
    def _assign(self, equipments, activity_code, effective_date):
        """Charge ``equipments`` to ``activity_code`` from ``effective_date``.

        Periods starting on or after the date are replaced; the period running
        on the date ends the day before. A device's first code has no start
        date, so the days it was leased before it got a code are not left
        without one.
        """
        if not equipments:
            return self.browse()
        equipments.company_id._lock_it_charging()
        history = self.search([("equipment_id", "in", equipments.ids)])
        history.filtered(
            lambda a: a.date_from and a.date_from >= effective_date
        ).unlink()
        history = history.exists()
        running = history.filtered(
            lambda a: (
                (not a.date_from or a.date_from < effective_date)
                and (not a.date_to or a.date_to >= effective_date)
            )
        )
        running.write({"date_to": fields.Date.subtract(effective_date, days=1)})
        if not activity_code:
            return self.browse()
        known = set(history.equipment_id.ids)
        return self.create(
            [
                {
                    "equipment_id": equipment.id,
                    "activity_code_id": activity_code.id,
                    "date_from": effective_date if equipment.id in known else False,
                }
                for equipment in equipments
            ]
        )

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
