# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

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


class ItActivityCodeAssignment(models.Model):
    """Which activity code pays for a device over which days.

    A device's codes form a gap-free chain of periods: a change effective on a
    date closes the running period the day before and opens a new one, so the
    monthly charge can charge every day to the code valid on that day. An empty
    start means "since the device was registered".
    """

    _name = "it.activity.code.assignment"
    _inherit = ["it.system.fields.mixin"]
    _description = "Activity Code History"
    _order = "equipment_id, date_from nulls first, id"

    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        required=True,
        ondelete="cascade",
        index=True,
    )
    # it_system: what a plan change records on the periods it wrote, for its
    # undo, and the company (the device's): written by the plan change's own
    # statements only. Set by hand (or copied with a period), they would make
    # an undo delete or recode periods it never wrote, or a plan change miss a
    # device.
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, it_system=True
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
        it_system=True,
        help="The plan change that set this code; undoing it restores the code before.",
    )
    split_from_id = fields.Many2one(
        comodel_name="it.activity.code.assignment",
        string="Continues",
        ondelete="set null",
        readonly=True,
        copy=False,
        it_system=True,
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
        it_system=True,
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
        it_system=True,
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
        return super().create(vals_list)

    def write(self, vals):
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
        """Charge ``equipments`` to ``activity_code`` from ``effective_date``
        (see :meth:`_assign_each`)."""
        return self._assign_each(
            equipments, lambda equipment: activity_code, effective_date
        )

    @api.model
    def _assign_each(self, equipments, code_of, effective_date):
        """Charge each of ``equipments`` to its activity code ``code_of(
        equipment)`` (none: no code) from ``effective_date``, with one
        search and one create whatever the number of codes.

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
        known = set(history.equipment_id.ids)
        vals_list = []
        for equipment in equipments:
            activity_code = code_of(equipment)
            if activity_code:
                vals_list.append(
                    {
                        "equipment_id": equipment.id,
                        "activity_code_id": activity_code.id,
                        "date_from": effective_date if equipment.id in known else False,
                    }
                )
        return self.create(vals_list)
