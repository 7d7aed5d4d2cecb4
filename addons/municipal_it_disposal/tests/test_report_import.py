# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import csv
import hashlib
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestReportImport(DisposalCommon):
    def _counts(self):
        return (
            self.env["it.wipe.report"].search_count([]),
            self.env["it.wipe.certificate"].search_count([]),
            self.env["it.storage.medium"].search_count([]),
        )

    def assertImportRefused(self, content, *patterns, name="bad.csv"):
        """The file is refused as a whole, naming each row's problem, and
        nothing at all is stored."""
        before = self._counts()
        with self.assertRaises(UserError) as caught:
            self._import(content, name)
        for pattern in patterns:
            self.assertRegex(str(caught.exception), pattern)
        self.assertEqual(self._counts(), before)

    def test_blancco_xml_with_hardware_section(self):
        content = self._xml(
            "DOC-4711",
            "ra-1",
            [
                (
                    "SSD-A1",
                    "NIST 800-88 Purge (NVMe Sanitize Crypto Erase)",
                    "Successful",
                ),
                ("HDD-A2", "DoD 5220.22-M 3 pass", "Successful"),
            ],
            disks=[("SSD-A1", "NVMe", 512110190592), ("HDD-A2", "SATA", 1000204886016)],
        )
        report = self._import(content, "blancco.xml")
        self.assertEqual(report.file_format, "xml")
        self.assertEqual(report.document_id, "DOC-4711")
        self.assertEqual(report.signature, "c2lnbmF0dXJlLXZhbHVl")
        self.assertEqual(report.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual(base64.b64decode(report.attachment_id.datas), content)
        # The second disk was not registered: the hardware section adds it,
        # 1,000,204,886,016 bytes = 1,000.2 GB.
        new_disk = self.dev_a.storage_medium_ids.filtered(
            lambda medium: medium.serial_no == "HDD-A2"
        )
        self.assertEqual((new_disk.medium_type, new_disk.capacity_gb), ("hdd", 1000.2))
        purge, clear = report.certificate_ids.sorted("medium_serial")[::-1]
        self.assertEqual((purge.medium_serial, purge.level), ("SSD-A1", "purge"))
        self.assertEqual((clear.medium_serial, clear.level), ("HDD-A2", "clear"))
        self.assertEqual(purge.status, "erased")
        self.assertEqual(purge.equipment_id, self.dev_a)
        self.assertEqual(purge.operator, "Operatör 2")
        self.assertEqual(purge.tool, "Blancco Drive Eraser")
        # 10:00 at +01:00 is 09:00 UTC.
        self.assertEqual(purge.date_start, datetime(2026, 3, 11, 9, 0))
        self.assertEqual(purge.date_end, datetime(2026, 3, 11, 9, 42))
        self.assertEqual(new_disk.wipe_state, "insufficient")

    def test_csv_export_matched_unmatched_failed_and_missing_per_batch(self):
        batch = self._batch()
        batch.action_seal()
        content = self._csv(
            [
                self._csv_row(" ra-1 ", "ssd-a1"),
                self._csv_row("RA-2", "SSD-B1", status="not erased"),
                self._csv_row("GHOST-1", "SSD-G1"),
            ]
        )
        action = self._import_wizard(content, "export.csv", batch=batch)
        report = self.env["it.wipe.report"].browse(action["res_id"])
        self.assertEqual(report.batch_id, batch)
        self.assertEqual(
            (report.certificate_count, report.unmatched_count, report.failed_count),
            (3, 1, 1),
        )
        matched = report.certificate_ids.filtered("is_matched")
        self.assertEqual(matched.equipment_id, self.dev_a | self.dev_b)
        self.assertEqual(
            matched.medium_id, (self.dev_a | self.dev_b).storage_medium_ids
        )
        self.assertEqual(batch.unmatched_certificate_ids.device_serial, "GHOST-1")
        self.assertEqual(batch.failed_certificate_ids.equipment_id, self.dev_b)
        self.assertEqual(batch.missing_medium_ids, self.dev_c.storage_medium_ids)
        awaiting = self.env["maintenance.equipment"].search(
            [
                ("wipe_state", "in", ("awaiting", "problem")),
                ("disposal_line_ids", "!=", False),
            ]
        )
        self.assertEqual(awaiting, self.dev_b | self.dev_c)

    def test_same_file_twice_refused(self):
        content = self._csv([self._csv_row("RA-1", "SSD-A1")])
        report = self._import(content, "once.csv")
        with self.assertRaisesRegex(
            UserError, f"already imported as report {report.name}"
        ):
            self._import(content, "again.csv")
        self.assertEqual(len(report.certificate_ids), 1)

    def test_same_erasure_in_another_file_refused(self):
        self._import(self._csv([self._csv_row("RA-1", "SSD-A1")]), "one.csv")
        self.assertImportRefused(
            self._csv(
                [self._csv_row("RA-1", "SSD-A1"), self._csv_row("RA-2", "SSD-B1")]
            )
            + b"\n",
            "Row 2: medium SSD-A1 of report R-1 was already imported",
        )

    def test_csv_errors_named_per_row_and_nothing_imported(self):
        content = self._csv(
            [
                self._csv_row("RA-1", "SSD-A1"),
                self._csv_row("RA-2", ""),
                self._csv_row("RA-3", "SSD-C1", level="Sprinkle"),
                self._csv_row("RA-3", "SSD-C1", status="maybe"),
                self._csv_row("RA-1", "SSD-A1", ts="11/03/2026"),
            ]
        )
        self.assertImportRefused(
            content,
            "Row 3: medium_serial is empty",
            "Row 4: 'Sprinkle' is not a Clear, Purge or Destroy level",
            "Row 5: status 'maybe' is not erased",
            "Row 6: timestamp '11/03/2026' is not a date and time",
        )

    def test_many_errors_are_capped_like_every_import(self):
        """30 bad rows: the first 25 are named (rows 2 to 26), then how many
        more there are (30 - 25 = 5), worded as in every other import."""
        content = self._csv(
            [
                self._csv_row("RA-1", f"SSD-X{number}", status="maybe")
                for number in range(30)
            ]
        )
        before = self._counts()
        with self.assertRaises(UserError) as caught:
            self._import(content, "many.csv")
        message = str(caught.exception)
        self.assertIn("Row 26: status 'maybe' is not erased", message)
        self.assertNotIn("Row 27:", message)
        self.assertIn("… and 5 more problems.", message)
        self.assertEqual(message.count("is not erased"), 25)
        self.assertEqual(self._counts(), before)

    def test_duplicate_medium_in_a_file(self):
        self.assertImportRefused(
            self._csv(
                [self._csv_row("RA-1", "SSD-A1"), self._csv_row("RA-1", "ssd-a1")]
            ),
            "Row 3: medium ssd-a1 appears twice in report R-1",
        )

    def test_medium_of_another_device(self):
        self.assertImportRefused(
            self._csv([self._csv_row("RA-2", "SSD-A1")]),
            "Row 2: medium SSD-A1 belongs to device RA-1, not to RA-2",
        )

    def test_missing_columns(self):
        self.assertImportRefused(
            b"report_id,device_serial,status\nR-1,RA-1,erased\n",
            "Row 1: missing columns: medium_serial, level",
        )

    def test_empty_and_non_utf8_files(self):
        self.assertImportRefused(b"", "the file is empty")
        self.assertImportRefused(
            "report_id;device_serial;medium_serial;level;status\nR-1;RA-1;SSD-Å1;Purge;erased\n".encode(
                "latin-1"
            ),
            "not UTF-8",
        )

    def test_broken_csv_files_are_refused_with_their_row(self):
        # Fuzzed files: each is refused whole with its row named, never a
        # traceback (a NUL byte cannot even reach PostgreSQL). Worded by the
        # shared strict reader every import reads its tables with.
        good = self._csv_row("RA-1", "SSD-A1")
        cases = [
            (
                self._csv([good, self._csv_row("RA-1", "SSD-\x00A2", report="R-2")]),
                "Row 3 contains a NUL byte: this is binary data",
            ),
            (
                self._csv([good, self._csv_row("RA-1", "SSD-A2\x1b", report="R-2")]),
                r"Row 3, column 3 \(medium_serial\): contains the control character U\+001B",
            ),
            (
                self._csv([good, "R-2,RA-1,SSD-A2," + "x" * 1001 + ",Purge"]),
                r"Row 3, column 4 \(method\): the value is 1001 characters long",
            ),
            (
                # An unclosed quote swallows the rest of the file.
                self._csv([good, 'R-2,"RA-1' + "x" * 140000]),
                r"Row 3, column 2 \(device_serial\): the value is \d+ characters long",
            ),
            (
                self._csv(
                    [self._csv_row("RA-1", "SSD-A1", ts="0001-01-01T00:00:00+14:00")]
                ),
                "Row 2: timestamp '0001-01-01T00:00:00\\+14:00' is not a date and time",
            ),
        ]
        for content, message in cases:
            with self.subTest(message):
                self.assertImportRefused(content, message)

    def test_csv_error_is_a_row_error(self):
        # Outside Odoo's command line (WSGI), csv keeps its 128 KiB field
        # limit: a longer field is a row error, not a traceback.
        limit = csv.field_size_limit(1000)
        try:
            content = self._csv([self._csv_row("RA-1", "SSD-A1"), '"' + "x" * 2000])
            self.assertImportRefused(
                content,
                r"Row 3 cannot be read as CSV \(field larger than field limit",
            )
        finally:
            csv.field_size_limit(limit)

    def test_xml_errors(self):
        self.assertImportRefused(b"<root><report>", "not well formed", name="x.xml")
        self.assertImportRefused(
            self._xml("", "RA-1", [("SSD-A1", "NIST Purge", "Successful")]),
            "no document_id",
            name="x.xml",
        )
        self.assertImportRefused(
            self._xml("D-2", "RA-1", [("SSD-A1", "Gutmann-ish", "Successful")]),
            "Row 1: 'Gutmann-ish' is not a Clear, Purge or Destroy level",
            name="x.xml",
        )
        self.assertImportRefused(
            self._xml("D-3", "RA-1", [("SSD-A1", "NIST Purge", "Half done")]),
            "Row 1: status 'Half done' is not erased",
            name="x.xml",
        )

    def test_xml_entities_are_not_resolved(self):
        """An external entity (XXE) must neither be read nor reach the data."""
        content = self._xml(
            "&xxe;",
            "RA-1",
            [("SSD-A1", "NIST Purge", "Successful")],
            extra_doctype='<!DOCTYPE root [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>',
        )
        hostname = open("/etc/hostname").read().strip()  # noqa: SIM115
        try:
            report = self._import(content, "xxe.xml")
        except UserError as error:
            self.assertNotIn(hostname, str(error))
        else:
            self.assertNotIn(hostname, report.document_id or "")
            self.assertNotIn(hostname, report.name)
