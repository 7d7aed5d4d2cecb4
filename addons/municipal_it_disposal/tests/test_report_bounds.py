# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import random
from collections import Counter

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.fuzz import mutate

from .common import DisposalCommon

_logger = logging.getLogger(__name__)

# Numbers a broken or hostile report puts where a disk capacity goes.
NASTY_NUMBERS = [
    "²",
    "٣٤٥",  # Arabic-Indic digits: isdigit(), but not a number of bytes
    "9" * 400,
    "9" * 5000,
    "1e309",
    "NaN",
    "-1",
    "0x10",
    "12.5",
    "1 000",
    str(10**16 + 1),
]


@tagged("post_install", "-at_install")
class TestReportBounds(DisposalCommon):
    """Issue 25, item 13: the wipe-report readers refuse, with a clear error
    naming the problem and never a Python exception, what they cannot store
    truthfully."""

    def _counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in ("it.wipe.report", "it.wipe.certificate", "it.storage.medium")
        )

    def assertRefused(self, content, pattern, name="bad.xml"):
        before = self._counts()
        with self.assertRaisesRegex(UserError, pattern):
            self._import(content, name, user=self.it_user)
        self.assertEqual(self._counts(), before)

    def _xml_with(self, capacity=512110190592, operator="Operatör 2", **times):
        content = self._xml(
            "DOC-B",
            "RA-1",
            [("SSD-A9", "NIST 800-88 Purge", "Successful")],
            disks=[("SSD-A9", "NVMe", capacity)],
        ).decode()
        content = content.replace("Operatör 2", operator)
        for name, value in times.items():
            content = content.replace(
                {
                    "start": "2026-03-11T10:00:00+0100",
                    "end": "2026-03-11T10:42:00+0100",
                }[name],
                value,
            )
        return content.encode()

    def test_disk_capacities_that_are_not_numbers_of_bytes(self):
        for capacity in ("²", "9" * 400, "9" * 5000, "٣٤٥", str(10**17)):
            with self.subTest(capacity=capacity[:10]):
                self.assertRefused(
                    self._xml_with(capacity=capacity),
                    "the capacity .* of disk SSD-A9 is not a number of bytes",
                )
        # The new disk of RA-1: 512,110,190,592 bytes = 512.1 GB.
        report = self._import(self._xml_with(), "ok.xml", user=self.it_user)
        self.assertEqual(report.certificate_ids.medium_id.capacity_gb, 512.1)

    def test_operator_names_of_a_sane_length(self):
        self.assertRefused(
            self._xml_with(operator="x" * 1001),
            "column operator is longer than 1000 characters",
        )
        # 50 MB of operator name.
        self.assertRefused(
            self._xml_with(operator="x" * 50_000_000),
            "column operator is longer than 1000 characters",
        )
        self.assertRefused(
            self._csv(
                [
                    "R-1,RA-1,SSD-A1,NIST Purge,Purge,Blancco,7,erased,"
                    + "x" * 1001
                    + ",2026-03-11T09:00:00Z,ok"
                ]
            ),
            r"Row 2, column 9 \(operator\): the value is 1001 characters long",
            name="bad.csv",
        )

    def test_timestamps_outside_a_plausible_range(self):
        for value in (
            "2099-01-01T10:00:00Z",
            "1970-01-01T00:00:00Z",
            "1999-12-31T23:59:59Z",
        ):
            with self.subTest(value=value):
                self.assertRefused(
                    self._xml_with(start=value),
                    "Row 1: start_time .* is not a plausible time of an erasure",
                )
                self.assertRefused(
                    self._csv([self._csv_row("RA-1", "SSD-A1", ts=value)]),
                    "Row 2: timestamp .* is not a plausible time of an erasure",
                    name="bad.csv",
                )

    def test_serials_by_the_registers_one_rule(self):
        for serial, problem in (
            ("=HYPERLINK(1)", "looks like a spreadsheet formula"),
            ("+SSD", "looks like a spreadsheet formula"),
            ("@SSD", "looks like a spreadsheet formula"),
            ("S" * 65, "has 65 characters"),
        ):
            with self.subTest(serial=serial):
                self.assertRefused(
                    self._csv([self._csv_row("RA-1", serial)]),
                    f"Row 2: medium_serial: the serial number .*{problem}",
                    name="bad.csv",
                )
                self.assertRefused(
                    self._xml(
                        "DOC-S",
                        "RA-1",
                        [(serial, "NIST Purge", "Successful")],
                    ),
                    f"Row 1: serial: the serial number .*{problem}",
                )
        self.assertRefused(
            self._xml("DOC-S", "-RA-1", [("SSD-A1", "NIST Purge", "Successful")]),
            "system serial: the serial number '-RA-1' looks like a spreadsheet formula",
        )

    def test_csv_through_the_shared_strict_reader(self):
        """Quotes, tab separators and the header's separator are the shared
        reader's: a quoted comma stays in its cell."""
        content = (
            b"report_id\tdevice_serial\tmedium_serial\tmethod\tlevel\tstatus\n"
            b'R-T\tRA-1\tSSD-A1\t"NIST 800-88, Purge"\tPurge\terased\n'
        )
        report = self._import(content, "tab.csv", user=self.it_user)
        self.assertEqual(report.certificate_ids.method, "NIST 800-88, Purge")
        self.assertRefused(
            self._csv([self._csv_row("RA-1", "SSD-A1") + ",extra"]),
            "Row 2 has 12 columns but the header row has 11",
            name="bad.csv",
        )

    def test_fuzzed_xml_numbers_are_imported_or_refused(self):
        """The disk capacity and erasure times, fuzzed: seeded nasty numbers
        and the shared mutations of the element; a UserError or an import,
        never a traceback, and a refused file writes nothing."""
        rng = random.Random(20261205)
        outcomes = Counter()
        for number in range(120):
            capacity = rng.choice(
                NASTY_NUMBERS + [str(rng.randrange(10 ** rng.randint(1, 20)))]
            )
            content = self._xml_with(capacity=capacity)
            if number % 2:
                start = content.index(b'<entry name="capacity"')
                end = content.index(b"</entry>", start)
                content = (
                    content[:start] + mutate(rng, content[start:end]) + content[end:]
                )
            before = self._counts()
            try:
                with self.env.cr.savepoint(flush=False) as savepoint:
                    report = self._import(content, f"fuzz-{number}.xml")
                    media = report.certificate_ids.medium_id
                    self.assertTrue(
                        all(0 <= gb <= 10**7 for gb in media.mapped("capacity_gb"))
                    )
                    outcomes["imported"] += 1
                    savepoint.rollback()
            except UserError:
                outcomes["refused"] += 1
            self.env.invalidate_all()
            self.assertEqual(self._counts(), before, f"file {number}")
        _logger.info("fuzz: 120 XML capacities, %s", dict(outcomes))
        self.assertEqual(sum(outcomes.values()), 120)
        self.assertGreater(outcomes["refused"], 0)
        self.assertGreater(outcomes["imported"], 0)
