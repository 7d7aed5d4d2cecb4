# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import importlib.util
import io
from datetime import timedelta
from pathlib import Path

import xlsxwriter

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.it_device_import import ImportRowsError
from .common import ItLeaseCommon

HEADER = "name,serial_no,device_category,activity_code_id,lifecycle_state"


@tagged("post_install", "-at_install")
class TestDeviceImport(ItLeaseCommon):
    """A register file imported in the background by the scheduled job, one
    file a call: Odoo's own import, as the clerk who queued it, all rows or
    none, with the refused rows named by their row in the file."""

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

    def test_the_job_imports_one_file_a_call_while_files_are_queued(self):
        first = self._new_import(self._rows(5))
        second = self._new_import(self._rows(2, prefix="BH"))
        (first | second).action_queue()
        cron = self.env.ref("municipal_it_lease.ir_cron_it_device_import")
        # The scheduler's call: the first file, whole; one file left.
        cron.method_direct_trigger()
        self.assertEqual(first.state, "done")
        self.assertEqual(first.device_count, 5)
        self.assertEqual(second.state, "queued")
        self.assertEqual(self._last_call(cron), (1, 1))
        devices = self.env["maintenance.equipment"].search(
            [("serial_no", "=like", "BG-%")]
        )
        self.assertEqual(len(devices), 5)
        self.assertEqual(devices.activity_code_id, self.code_school)
        # Created as the clerk who queued the file, not as the job's user.
        self.assertEqual(devices.create_uid, self.it_user)
        activity = first.activity_ids
        self.assertEqual(activity.user_id, self.it_user)
        self.assertIn("Device import done", activity.summary)
        # The scheduler calls again while the last call left files: the
        # second file; then nothing is left.
        cron.method_direct_trigger()
        self.assertEqual((second.state, second.device_count), ("done", 2))
        self.assertEqual(self._last_call(cron), (1, 0))
        cron.method_direct_trigger()
        self.assertEqual(self._last_call(cron), (0, 0))

    def _last_call(self, cron):
        call = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        return call.done, call.remaining

    def test_a_file_is_imported_in_batches_of_rows(self):
        record = self._new_import(self._rows(5))
        record.action_queue()
        # Three batches of 2, 2 and 1 rows.
        count = record.sudo().with_context(it_import_batch_rows=2)._import_rows()
        self.assertEqual(count, 5)
        self.assertEqual(
            self.env["maintenance.equipment"].search_count(
                [("serial_no", "=like", "BG-%")]
            ),
            5,
        )

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

    def test_a_refused_row_leaves_nothing_of_the_batches_before_it(self):
        rows = self._rows(5)
        rows[4] = "Laptop 5,BG-0005,laptop,9999,in_use"
        record = self._new_import(rows)
        record.action_queue()
        # The first two batches (4 devices) are written when the third is
        # refused: the job's import rolls all of them back.
        record.sudo().with_context(it_import_batch_rows=2)._run_import()
        self.assertEqual(record.state, "failed")
        self.assertEqual(record.device_count, 0)
        self.assertRegex(record.error_message, r"Row 6: .*9999")
        self.assertTrue(record.date_started)
        self.assertTrue(record.date_done)
        self.assertFalse(
            self.env["maintenance.equipment"].search([("serial_no", "=like", "BG-%")])
        )
        self.assertIn("Device import failed", record.activity_ids.summary)

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

    def test_an_import_whose_call_was_killed_is_failed_at_the_next_call(self):
        """A call of the job that never returned (its worker killed, the
        server stopped) committed nothing: its import is still queued. The
        next call fails it rather than run it again, and goes on with the
        queue."""
        now = self.env.cr.now().replace(microsecond=0)
        killed, later = (
            self._new_import(self._rows(2)),
            self._new_import(self._rows(1, prefix="BK")),
        )
        (killed | later).action_queue()
        killed.sudo().date_queued = now - timedelta(minutes=2)
        later.sudo().date_queued = now
        cron = self.env.ref("municipal_it_lease.ir_cron_it_device_import")
        Progress = self.env["ir.cron.progress"]
        # ir.cron records each call before it runs and resets its counter
        # when the call returns: this one never returned.
        call = Progress.create({"cron_id": cron.id, "timed_out_counter": 1})
        self.env.cr.execute(
            "UPDATE ir_cron_progress SET create_date = %s WHERE id = %s",
            [now - timedelta(minutes=1), call.id],
        )
        call.invalidate_recordset(["create_date"])
        # Until the next call, the form shows the import as running.
        self.assertEqual((killed.is_running, later.is_running), (True, False))
        self.assertEqual(killed.with_user(self.it_user).state, "queued")
        next_call = Progress.create({"cron_id": cron.id, "timed_out_counter": 2})
        Import = self.env["it.device.import"].with_context(
            ir_cron_progress_id=next_call.id
        )
        Import._cron_import_queued()
        self.assertEqual(killed.state, "failed")
        self.assertIn("interrupted", killed.error_message)
        self.assertEqual(later.state, "queued")
        self.assertEqual((next_call.done, next_call.remaining), (1, 1))
        self.assertFalse(
            self.env["maintenance.equipment"].search([("serial_no", "=like", "BG-%")])
        )
        # That call returned; the next one imports the file queued after.
        next_call.timed_out_counter = 0
        self.assertFalse(killed.is_running or later.is_running)
        last_call = Progress.create({"cron_id": cron.id, "timed_out_counter": 1})
        Import.with_context(ir_cron_progress_id=last_call.id)._cron_import_queued()
        self.assertEqual((later.state, later.device_count), ("done", 1))
        # The failed import can be queued again.
        killed.with_user(self.it_user).action_reset_draft()
        self.assertEqual(killed.state, "draft")
        with self.assertRaisesRegex(UserError, "Only a failed import"):
            killed.action_reset_draft()

    def test_an_import_running_at_the_upgrade_is_failed_and_its_table_dropped(self):
        """The migration to 18.0.1.3.1: an import left running by the
        server stopped for the upgrade imported nothing; the rows-done table
        of earlier versions is dropped."""
        record = self._new_import(self._rows(1))
        cr = self.env.cr
        cr.execute(
            "UPDATE it_device_import SET state = 'running' WHERE id = %s",
            [record.id],
        )
        cr.execute(
            "CREATE TABLE it_device_import_progress "
            "(import_id integer PRIMARY KEY, rows_done integer NOT NULL)"
        )
        path = Path(__file__).parent.parent / (
            "migrations/18.0.1.3.1/post-migration.py"
        )
        spec = importlib.util.spec_from_file_location("mitl_c_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "18.0.1.3.0")
        record.invalidate_recordset()
        self.assertEqual(record.state, "failed")
        self.assertIn("interrupted", record.error_message)
        cr.execute("SELECT to_regclass('it_device_import_progress')")
        self.assertIsNone(cr.fetchone()[0])

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
            {"error_message": "Imported without errors."},
        ):
            with self.assertRaisesRegex(UserError, "cannot be set directly"):
                record.write(vals)
        # A form saving back what it read changes nothing, and passes.
        record.write({"state": "draft", "error_message": False})
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.env["it.device.import"].with_user(self.it_user).create(
                {"file": self._file(self._rows(1)), "state": "queued"}
            )
        # Nor through the defaults of the request's context.
        defaulted = (
            self.env["it.device.import"]
            .with_user(self.it_user)
            .with_context(default_state="done", default_device_count=5)
            .create({"file": self._file(self._rows(1)), "filename": "y.csv"})
        )
        self.assertEqual((defaulted.state, defaulted.device_count), ("draft", 0))
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
