# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_remap import ItRemapCommon

NEW_YEAR = date(2027, 1, 1)


@tagged("post_install", "-at_install")
class TestRemapBadInput(ItRemapCommon):
    def _assert_nothing_applied(self, remap):
        self.assertEqual(remap.state, "draft")
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])
        self.assertEqual(self._codes(self.care_device), [("4100", False, False)])

    def test_unknown_code_listed_in_preview_and_refused_on_apply(self):
        remap = self._remap(NEW_YEAR, [("3200", "3300"), ("4100", "9999")])
        self.assertEqual(remap.problem_count, 1)
        self.assertEqual(
            remap.line_ids.filtered("problem").problem, "Unknown activity code: 9999"
        )
        with self.assertUserErrorRollsBack(r"Row 3: Unknown activity code: 9999"):
            remap.action_apply()
        self._assert_nothing_applied(remap)

    def test_same_old_code_twice_in_a_file(self):
        remap = self._remap(NEW_YEAR, [])
        content = b"old code,new code\n3200,3300\n4100,4200\n3200,4200\n"
        with self.assertUserErrorRollsBack(
            "Row 4: old code 3200 is already mapped on row 2"
        ):
            self._import(remap, content)
        self.assertFalse(remap.line_ids)

    def test_same_old_code_twice_entered_by_hand(self):
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._remap(NEW_YEAR, [("3200", "3300"), ("3200", "4200")])

    def test_empty_file(self):
        remap = self._remap(NEW_YEAR, [])
        with self.assertUserErrorRollsBack("The file is empty"):
            self.Remap._parse_mapping_file(b"")
        with self.assertUserErrorRollsBack("The file is empty"):
            self._import(remap, b"\n \n")
        with self.assertUserErrorRollsBack("header row but no mapping rows"):
            self._import(remap, b"old code;new code\n")

    def test_missing_columns(self):
        remap = self._remap(NEW_YEAR, [])
        with self.assertUserErrorRollsBack(
            r"Row 1, the header row, lacks the column\(s\): new code .*"
            r"It has: old code, cost centre"
        ):
            self._import(remap, b"old code,cost centre\n3200,3300\n")

    def test_row_without_a_new_code(self):
        remap = self._remap(NEW_YEAR, [])
        with self.assertUserErrorRollsBack(
            "Row 3: both an old and a new code are needed"
        ):
            self._import(remap, b"old code,new code\n3200,3300\n4100,\n")
        self.assertFalse(remap.line_ids)

    def test_effective_date_inside_a_posted_month(self):
        march = self._run(date(2027, 3, 1))
        march.action_post()
        remap = self._remap(date(2027, 3, 16), [("3200", "3300")])
        with self.assertUserErrorRollsBack(
            f"lies in a month already charged: charge run {march.name} is posted"
        ):
            remap.action_apply()
        self._assert_nothing_applied(remap)

    def test_state_and_applied_mapping_cannot_be_written(self):
        # Rules in the model: what the buttons do is refused to every other
        # caller, an IT manager's JSON-RPC call included.
        remap = self._remap(NEW_YEAR, [("3200", "3300")]).with_user(self.it_manager)
        for vals in ({"state": "applied"}, {"applied_date": "2026-12-01 10:00:00"}):
            with self.assertUserErrorRollsBack("its state is never set by hand"):
                remap.write(vals)
        with self.assertUserErrorRollsBack("its state is never set by hand"):
            self.Remap.with_user(self.it_manager).create(
                {"effective_date": NEW_YEAR, "state": "applied"}
            )
        # A client sending the values a plan change already has is let through.
        self.Remap.with_user(self.it_manager).create(
            {"effective_date": NEW_YEAR, "state": "draft", "moved_device_count": 0}
        )
        remap.write({"state": "draft"})
        remap.action_apply()
        line = remap.line_ids
        frozen = "Copy it to make another"
        with self.assertUserErrorRollsBack(frozen):
            remap.effective_date = date(2027, 2, 1)
        with self.assertUserErrorRollsBack(frozen):
            line.new_code_id = self.code_care_2027
        with self.assertUserErrorRollsBack(frozen):
            self.env["it.activity.code.remap.line"].with_user(self.it_manager).create(
                {"remap_id": remap.id, "old_code": "4100", "new_code": "4200"}
            )
        with self.assertUserErrorRollsBack(frozen):
            line.unlink()
        with self.assertUserErrorRollsBack("its state is never set by hand"):
            remap.state = "undone"
        # Its name stays editable; undoing goes through the button.
        remap.name = "Kodplan 2027"
        remap.action_undo()
        self.assertEqual(remap.state, "undone")
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])
        with self.assertUserErrorRollsBack(frozen):
            remap.line_ids.old_code = "4100"
        # An undone plan change can be deleted, its lines with it.
        remap.unlink()
        self.assertFalse(line.exists())
