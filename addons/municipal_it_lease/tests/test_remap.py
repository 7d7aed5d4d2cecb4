# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import importlib.util
from datetime import date
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common_remap import ItRemapCommon

NEW_YEAR = date(2027, 1, 1)


@tagged("post_install", "-at_install")
class TestRemap(ItRemapCommon):
    @freeze_time("2026-12-10")
    def test_december_on_old_codes_january_on_new(self):
        remap = self._remap(NEW_YEAR, [("3200", "3300"), ("4100", "4200")])
        remap.action_apply()
        self.assertEqual(remap.state, "applied")
        self.assertEqual(remap.moved_device_count, 2)
        # Decided in December for 1 January: today's code is still the old one.
        self.assertEqual(self.school_device.activity_code_id, self.code_school)
        # December, charged in January, stays on the old codes; January is
        # charged on the new ones: 400.00 and 310.00 full months each.
        december = self._run(date(2026, 12, 1))
        december.action_compute()
        self.assertEqual(self._charged(december, self.school_device), {"3200": 400.0})
        self.assertEqual(self._charged(december, self.care_device), {"4100": 310.0})
        january = self._run(NEW_YEAR)
        january.action_compute()
        self.assertEqual(self._charged(january, self.school_device), {"3300": 400.0})
        self.assertEqual(self._charged(january, self.care_device), {"4200": 310.0})
        with freeze_time("2027-01-01"):
            self.env["it.activity.code.assignment"]._cron_sync_current_codes()
        self.assertEqual(self.school_device.activity_code_id, self.code_school_2027)

    def test_change_mid_month_is_charged_in_two_parts(self):
        # From 16 March 2027: 1-15 March on 3200, 400 × 15 / 31 = 193.548 →
        # 193.55; 16-31 March on 3300, 400 × 16 / 31 = 206.452 → 206.45.
        self._remap(date(2027, 3, 16), [("3200", "3300")]).action_apply()
        self.assertEqual(
            self._codes(self.school_device),
            [("3200", False, date(2027, 3, 15)), ("3300", date(2027, 3, 16), False)],
        )
        run = self._run(date(2027, 3, 1))
        run.action_compute()
        self.assertEqual(
            self._charged(run, self.school_device), {"3200": 193.55, "3300": 206.45}
        )

    def test_swap(self):
        self._remap(NEW_YEAR, [("3200", "4100"), ("4100", "3200")]).action_apply()
        self.assertEqual(self._codes(self.school_device)[-1], ("4100", NEW_YEAR, False))
        self.assertEqual(self._codes(self.care_device)[-1], ("3200", NEW_YEAR, False))

    def test_partial_mapping_leaves_other_codes_and_lists_them(self):
        remap = self._remap(NEW_YEAR, [("3200", "3300")])
        self.assertEqual(remap.unmapped_code_ids, self.code_care)
        remap.action_apply()
        self.assertEqual(self._codes(self.care_device), [("4100", False, False)])
        self.assertEqual(self._codes(self.school_device)[-1], ("3300", NEW_YEAR, False))

    def test_applying_twice_changes_nothing(self):
        remap = self._remap(NEW_YEAR, [("3200", "4100"), ("4100", "3200")])
        remap.action_apply()
        history = self._codes(self.school_device), self._codes(self.care_device)
        remap.action_apply()
        # Even the bare data operation is idempotent: a swap is not swapped back.
        self.env["it.activity.code.assignment"]._remap(
            remap.company_id,
            {self.code_school: self.code_care, self.code_care: self.code_school},
            NEW_YEAR,
            remap=remap,
        )
        self.assertEqual(
            (self._codes(self.school_device), self._codes(self.care_device)), history
        )

    def test_plan_starting_on_a_period_start_recodes_it_in_place(self):
        self._remap(NEW_YEAR, [("3200", "3300")]).action_apply()
        self._remap(NEW_YEAR, [("3300", "4200")]).action_apply()
        self.assertEqual(
            self._codes(self.school_device),
            [("3200", False, date(2026, 12, 31)), ("4200", NEW_YEAR, False)],
        )

    def test_recoded_in_place_keeps_its_code_before_and_undo_gives_it_back(self):
        first = self._remap(NEW_YEAR, [("3200", "3300")])
        first.action_apply()
        second = self._remap(NEW_YEAR, [("3300", "4200")])
        second.action_apply()
        history = self.env["it.activity.code.assignment"].search(
            [("equipment_id", "=", self.school_device.id)]
        )
        # The period split off by the first change continues the closed one,
        # which keeps 3200: it has no code before of its own. The second change
        # recoded that period in place and remembers 3300.
        self.assertEqual(
            [
                (period.activity_code_id.code, period.previous_code_id.code or False)
                for period in history
            ],
            [("3200", False), ("4200", "3300")],
        )
        second.action_undo()
        self.assertEqual(
            self._codes(self.school_device),
            [("3200", False, date(2026, 12, 31)), ("3300", NEW_YEAR, False)],
        )
        first.action_undo()
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])

    def test_third_plan_on_a_recoded_period_is_refused(self):
        self._remap(NEW_YEAR, [("3200", "3300")]).action_apply()
        self._remap(NEW_YEAR, [("3300", "4200")]).action_apply()
        before = self._codes(self.school_device)
        third = self._remap(NEW_YEAR, [("4200", "4100")])
        with self.assertUserErrorRollsBack(
            "1 devices have a period from 01/01/2027 whose code another applied "
            "plan change already replaced: Laptop RM-1/RM-1."
        ):
            third.action_apply()
        self.assertEqual(third.state, "draft")
        self.assertEqual(self._codes(self.school_device), before)

    def test_periods_continued_before_the_upgrade_are_undone(self):
        remap = self._remap(NEW_YEAR, [("3200", "3300")])
        remap.action_apply()
        continued = self.env["it.activity.code.assignment"].search(
            [("equipment_id", "=", self.school_device.id), ("remap_id", "=", remap.id)]
        )
        # Before 18.0.1.2.0 a continued period also stored the code before.
        self._write_sql(continued, previous_code_id=self.code_school.id)
        self._migrate("18.0.1.2.0", "18.0.1.1.0")
        self.assertFalse(continued.previous_code_id)
        remap.action_undo()
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])

    def test_periods_recoded_before_the_upgrade_are_undone(self):
        """Two plan changes of 1 January, applied before 18.0.1.2.0: the first
        split 3200 into 3300 from that day, the second recoded that period
        3300 -> 4200 in place. Those versions neither kept the first change
        on the period nor cleared the code the split repeated; after the
        upgrade's migrations both are undone in turn, back to 3200."""
        first = self._remap(NEW_YEAR, [("3200", "3300")])
        first.action_apply()
        second = self._remap(NEW_YEAR, [("3300", "4200")])
        second.action_apply()
        recoded = self.env["it.activity.code.assignment"].search(
            [("equipment_id", "=", self.school_device.id), ("remap_id", "=", second.id)]
        )
        self.assertEqual(recoded.previous_remap_id, first)
        # As those versions left it.
        self._write_sql(recoded, previous_remap_id=None)
        self._migrate("18.0.1.2.0", "18.0.1.1.0")
        self._migrate("18.0.1.2.1", "18.0.1.1.0")
        self.assertEqual(recoded.previous_remap_id, first)
        self.assertEqual(recoded.previous_code_id, self.code_school_2027)
        second.action_undo()
        self.assertEqual(
            self._codes(self.school_device),
            [("3200", False, date(2026, 12, 31)), ("3300", NEW_YEAR, False)],
        )
        first.action_undo()
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])

    def _write_sql(self, period, **values):
        """Write ``values`` on ``period`` as an older version of the addon
        left them (the ORM refuses these fields to anyone but a plan
        change)."""
        self.env.flush_all()
        for name, value in values.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE it_activity_code_assignment SET %s = %s WHERE id = %s",
                    SQL.identifier(name),
                    value,
                    period.id,
                )
            )
        self.env.invalidate_all()

    def test_plan_change_bookkeeping_is_not_written_by_hand(self):
        """What a plan change records for its undo cannot be set, changed
        or copied by anyone else, an IT leasing manager included: a forged
        remap_id would let an undo delete a period typed by hand."""
        remap = self._remap(NEW_YEAR, [("3200", "3300")])
        remap.action_apply()
        History = self.env["it.activity.code.assignment"].with_user(self.it_manager)
        continued = History.search(
            [("equipment_id", "=", self.school_device.id), ("remap_id", "=", remap.id)]
        )
        by_hand = History.search([("equipment_id", "=", self.care_device.id)])
        with self.assertRaisesRegex(
            UserError, "History: Plan Change cannot be set directly"
        ):
            by_hand.write({"remap_id": remap.id})
        with self.assertRaisesRegex(
            UserError, "History: Continues cannot be set directly"
        ):
            by_hand.write({"split_from_id": continued.id})
        with self.assertRaisesRegex(UserError, "Plan Change cannot be set directly"):
            continued.write({"remap_id": False})
        with self.assertRaisesRegex(UserError, "Code Before the Change cannot be set"):
            History.create(
                {
                    "equipment_id": self.care_device.id,
                    "activity_code_id": self.code_care_2027.id,
                    "date_from": date(2027, 6, 1),
                    "previous_code_id": self.code_care.id,
                }
            )
        # Saving what the form read is no change.
        continued.write(
            {"remap_id": remap.id, "split_from_id": continued.split_from_id.id}
        )
        copy = continued.copy(
            {"date_from": date(2027, 6, 1), "date_to": date(2027, 6, 30)}
        )
        self.assertFalse(copy.remap_id or copy.split_from_id)
        self.assertEqual(
            (continued.remap_id, by_hand.remap_id), (remap, History.remap_id)
        )

    def _migrate(self, version, from_version):
        """Run the post-migration script of ``version`` on this database, as
        an upgrade from ``from_version`` does."""
        path = Path(__file__).parents[1] / "migrations" / version / "post-migration.py"
        spec = importlib.util.spec_from_file_location("post_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.env.flush_all()
        migration.migrate(self.env.cr, from_version)
        self.env.invalidate_all()

    @freeze_time("2027-01-01")
    def test_plan_from_today_moves_the_current_code_now(self):
        remap = self._remap(NEW_YEAR, [("3200", "3300")])
        remap.action_apply()
        # Effective today: the device form shows the new code at once, not
        # after the daily job.
        self.assertEqual(self.school_device.activity_code_id, self.code_school_2027)
        remap.action_undo()
        self.assertEqual(self.school_device.activity_code_id, self.code_school)

    def test_preview_counts_devices_and_active_lease_lines(self):
        extra = self._leased_device("RM-3", 100.0, self.code_school)
        self.assertTrue(extra.lease_line_id)
        remap = self._remap(NEW_YEAR, [("3200", "3300"), ("4100", "4200")])
        preview = {
            line.old_code: (line.device_count, line.lease_line_count)
            for line in remap.line_ids
        }
        # RM-3 was added after the schedule was activated: its line is on the
        # same active schedule, so 2 devices and 2 lease lines on 3200.
        self.assertEqual(preview, {"3200": (2, 2), "4100": (1, 1)})

    def test_undo_allowed_until_a_posted_run_uses_the_new_codes(self):
        remap = self._remap(NEW_YEAR, [("3200", "3300")])
        remap.action_apply()
        remap.action_undo()
        self.assertEqual(remap.state, "undone")
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])

        again = remap.copy()
        again.action_apply()
        january = self._run(NEW_YEAR)
        january.action_post()
        with self.assertUserErrorRollsBack(
            f"can no longer be undone: charge run {january.name} is posted"
        ):
            again.action_undo()
        self.assertEqual(again.state, "applied")

    def test_undo_refused_under_a_later_plan(self):
        first = self._remap(NEW_YEAR, [("3200", "3300")])
        first.action_apply()
        second = self._remap(date(2027, 6, 1), [("3300", "4200")])
        second.action_apply()
        with self.assertUserErrorRollsBack("was applied after this one"):
            first.action_undo()
        second.action_undo()
        first.action_undo()
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])

    def test_undo_refused_under_a_later_plan_effective_earlier(self):
        # June's change applied first, January's on top: January's splits the
        # period June's closed (to 31 May) on 1 January. Undoing June's first
        # would give that period its open end back over January's days.
        june = self._remap(date(2027, 6, 1), [("3200", "3300")])
        june.action_apply()
        january = self._remap(NEW_YEAR, [("3200", "4200")])
        january.action_apply()
        self.assertEqual(
            self._codes(self.school_device),
            [
                ("3200", False, date(2026, 12, 31)),
                ("4200", NEW_YEAR, date(2027, 5, 31)),
                ("3300", date(2027, 6, 1), False),
            ],
        )
        with self.assertUserErrorRollsBack(
            f"Plan change {january.name} was applied after this one"
        ):
            june.action_undo()
        january.action_undo()
        self.assertEqual(
            self._codes(self.school_device),
            [("3200", False, date(2027, 5, 31)), ("3300", date(2027, 6, 1), False)],
        )
        june.action_undo()
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])
