# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import io

import xlsxwriter

from odoo import sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.it_device_import import ImportRowsError
from ..tools.guard import internal
from .common import ItLeaseCommon

HEADER = "name,serial_no,device_category,activity_code_id,lifecycle_state"


@tagged("post_install", "-at_install")
class TestDeviceImport(ItLeaseCommon):
    """A register file imported in the background by the scheduled job:
    Odoo's own import, as the clerk who queued it, all rows or none, with the
    refused rows named by their row in the file."""

    def _file(self, rows):
        return base64.b64encode("\n".join([HEADER, *rows]).encode())

    def _rows(self, count, prefix="BG"):
        return [
            f"Laptop {n},{prefix}-{n:04d},laptop,3200,in_use"
            for n in range(1, count + 1)
        ]

    def _new_import(self, rows, user=None):
        return (
            self.env["it.device.import"]
            .with_user(user or self.it_user)
            .create({"file": self._file(rows), "filename": "devices.csv"})
        )

    def test_queue_matches_the_columns_and_counts_the_rows(self):
        record = self._new_import(self._rows(7))
        record.action_queue()
        self.assertEqual(record.state, "queued")
        self.assertEqual(record.row_count, 7)
        self.assertEqual(record.user_id, self.it_user)
        mapping = record.column_mapping.splitlines()
        self.assertEqual(len(mapping), 5)
        self.assertEqual(mapping[1], "serial_no → Serial Number")
        self.assertIn("activity_code_id → Activity Code", mapping)
        # Queued: the file is fixed, and a second queue is refused.
        with self.assertRaisesRegex(UserError, "keeps its file"):
            record.file = self._file(self._rows(1))
        with self.assertRaisesRegex(UserError, "already queued"):
            record.action_queue()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            record.sudo().unlink()

    def test_a_file_without_a_name_column_is_refused_at_once(self):
        record = self.env["it.device.import"].create(
            {
                "file": base64.b64encode(b"serial_no,model\nX-1,Latitude\n"),
                "filename": "devices.csv",
            }
        )
        with self.assertRaisesRegex(UserError, "No column of the file is the device"):
            record.action_queue()
        self.assertEqual(record.state, "draft")

    def test_import_all_rows_in_batches_with_progress(self):
        record = self._new_import(self._rows(5))
        record.action_queue()
        count = record.sudo().with_context(it_import_batch_rows=2)._import_rows()
        self.assertEqual(count, 5)
        devices = self.env["maintenance.equipment"].search(
            [("serial_no", "=like", "BG-%")]
        )
        self.assertEqual(len(devices), 5)
        self.assertEqual(devices.activity_code_id, self.code_school)
        # Created as the clerk who queued the file, not as the job's user.
        self.assertEqual(devices.create_uid, self.it_user)
        # Three batches of 2, 2 and 1 rows: the last report is all 5.
        record.with_env(internal(self.env)).state = "running"
        self.assertEqual(record.rows_done, 5)
        self.assertEqual(record.progress, 100.0)
        record.sudo()._finish("done", device_count=count)
        self.assertEqual(record.state, "done")
        self.assertEqual(record.progress, 100.0)
        self.assertEqual(record.device_count, 5)
        activity = record.activity_ids
        self.assertEqual(activity.user_id, self.it_user)
        self.assertIn("Device import done", activity.summary)

    def test_an_xlsx_register_is_imported_the_same_way(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet()
        for number, line in enumerate([HEADER, *self._rows(3, prefix="BX")]):
            sheet.write_row(number, 0, line.split(","))
        workbook.close()
        record = self.env["it.device.import"].create(
            {
                "file": base64.b64encode(buffer.getvalue()),
                "filename": "register.xlsx",
            }
        )
        record.action_queue()
        self.assertEqual(record.row_count, 3)
        self.assertEqual(record._import_rows(), 3)
        self.assertEqual(
            self.env["maintenance.equipment"].search_count(
                [("serial_no", "=like", "BX-%")]
            ),
            3,
        )

    def test_a_binary_file_is_refused_when_queued(self):
        record = self.env["it.device.import"].create(
            {
                "file": base64.b64encode(b"name,serial_no\nLaptop,\x00\x01\xff\n"),
                "filename": "register.csv",
            }
        )
        with self.assertRaisesRegex(UserError, "cannot be read: Row 2 contains a NUL"):
            record.action_queue()
        self.assertEqual(record.state, "draft")

    def test_refused_rows_are_named_by_their_row_in_the_file(self):
        rows = self._rows(5)
        # Data row 5 is row 6 of the file (the header is row 1), in the third
        # batch of two: the row number counts the batches before it.
        rows[4] = "Laptop 5,BG-0005,laptop,9999,in_use"
        record = self._new_import(rows)
        record.action_queue()
        with self.assertRaises(ImportRowsError) as caught:
            record.sudo().with_context(it_import_batch_rows=2)._import_rows()
        message = str(caught.exception)
        self.assertIn("Nothing was imported", message)
        self.assertRegex(message, r"Row 6: .*9999")
        self.assertNotIn("Row 5", message)

    def test_the_import_runs_with_the_clerks_rights(self):
        """A user who may not create devices queues nothing that the job,
        running as superuser, would then create for them."""
        reader = self.env["res.users"].create(
            {
                "name": "Finance Reader",
                "login": "finance_reader_bg",
                "groups_id": [
                    (6, 0, [self.env.ref("base.group_user").id]),
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.env["it.device.import"].with_user(reader).create(
                {"file": self._file(self._rows(1)), "filename": "x.csv"}
            )
        record = self._new_import(self._rows(2))
        record.action_queue()
        # The requesting user loses the right to keep the register (and the
        # maintenance rights it brought): the job's import is refused,
        # nothing is created.
        self.it_user.groups_id = [(6, 0, [self.env.ref("base.group_user").id])]
        with self.assertRaises(ImportRowsError):
            record.sudo()._import_rows()
        self.assertFalse(
            self.env["maintenance.equipment"].search([("serial_no", "=like", "BG-%")])
        )

    def test_a_running_import_whose_worker_died_is_failed(self):
        record = self._new_import(self._rows(2))
        record.action_queue()
        record.with_env(internal(self.env)).state = "running"
        # Its worker alive: another connection holds the import's lock.
        with sql_db.db_connect(self.env.cr.dbname).cursor() as worker:
            worker.execute(
                "SELECT pg_advisory_lock(hashtext(%s))", [record._lock_key()]
            )
            self.env["it.device.import"]._fail_interrupted()
            self.assertEqual(record.state, "running")
            worker.execute(
                "SELECT pg_advisory_unlock(hashtext(%s))", [record._lock_key()]
            )
        # The worker gone, its lock with it: the import is failed, and can be
        # queued again.
        self.env["it.device.import"]._fail_interrupted()
        self.assertEqual(record.state, "failed")
        self.assertIn("interrupted", record.error_message)
        record.with_user(self.it_user).action_reset_draft()
        self.assertEqual(record.state, "draft")
        with self.assertRaisesRegex(UserError, "Only a failed import"):
            record.action_reset_draft()

    def test_nobody_names_another_user_or_sets_the_jobs_fields(self):
        """The import runs with its requester's rights: a clerk who could
        name the administrator as requester would import as the
        administrator. Status, counts and errors are the job's."""
        admin = self.env.ref("base.user_admin")
        record = (
            self.env["it.device.import"]
            .with_user(self.it_user)
            .create(
                {
                    "file": self._file(self._rows(1)),
                    "filename": "x.csv",
                    "user_id": admin.id,
                }
            )
        )
        self.assertEqual(record.user_id, self.it_user)
        for vals in (
            {"user_id": admin.id},
            {"state": "done"},
            {"device_count": 100000},
            {"error_message": False},
        ):
            with self.assertRaises(UserError):
                record.write(vals)
        with self.assertRaisesRegex(UserError, "never by hand"):
            self.env["it.device.import"].create(
                {"file": self._file(self._rows(1)), "state": "queued"}
            )
        self.assertEqual(record.state, "draft")

    def test_other_companies_imports_are_not_visible(self):
        record = self._new_import(self._rows(1))
        other = self.env["res.company"].create({"name": "Grannby kommun"})
        record.sudo().company_id = other
        self.assertFalse(
            self.env["it.device.import"]
            .with_user(self.it_user)
            .search([("id", "=", record.id)])
        )
