# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import random
import re
from collections import Counter
from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.fuzz import NASTY, mutate

from .common import ItPortalCommon

_logger = logging.getLogger(__name__)

SEED = 20261205
RANDOM_FILES = 150
MARCH = date(2026, 3, 1)
HEADER = ["Schedule", "Serial", "Period", "Amount"]
ROWS = [
    ["S-1", "SN-A", "2026-03", "500"],
    ["S-1", "SN-B", "2026-03", "400,00"],
    ["S-1", "SN-D", "2026-02", "250"],
]
# A serial cell the one serial rule refuses, and the words saying why.
BAD_SERIALS = {
    "=1+1": "looks like a spreadsheet formula",
    "+46701234": "looks like a spreadsheet formula",
    "-SN-A": "looks like a spreadsheet formula",
    "@SUM(A1)": "looks like a spreadsheet formula",
    '=HYPERLINK("http://x")': "looks like a spreadsheet formula",
    "SN\nA": r"control character U\+000A",
    "SN\rA": r"control character U\+000D",
    "SN\tA": r"control character U\+0009",
    "SN\x1bA": r"control character U\+001B",
    "SN\x07A": r"control character U\+0007",
    "S" * 65: r"has 65 characters \(at most 64\)",
    "S" * 999: r"has 999 characters \(at most 64\)",
    "": "the serial number is empty",
    "\u200b": "the serial number is empty",
}
# A period this reconciliation (March 2026) does not take.
BAD_PERIODS = {
    "2026-04": "is after 2026-03",
    "2026-09": "is after 2026-03",
    "2099-01": "is after 2026-03",
    "2025-11": "more than 3 months before 2026-03",
    "1970-01": "more than 3 months before 2026-03",
    "2026-02-30": "is not a date",
    "2026-13": "is not a (date|month)",
}


@tagged("post_install", "-at_install")
class TestPortalFuzz(ItPortalCommon):
    """The lessor's upload of its specification, fuzzed as the lessor's
    portal user through the method the upload route calls: every file is
    imported or refused with a clear message (never a traceback), a refused
    file writes nothing, and an imported one links no device but the
    lessor's own."""

    def _csv(self, rows, delimiter=";"):
        def cell(text):
            if any(char in text for char in (delimiter, '"', "\n", "\r")):
                return '"' + text.replace('"', '""') + '"'
            return text

        return "\r\n".join(
            delimiter.join(cell(text) for text in row) for row in [HEADER, *rows]
        ).encode()

    def _upload(self, content):
        """(message, lines) of uploading ``content`` as the lessor's portal
        user, undone afterwards: the refusal's message, or None and the
        reconciliation lines (read as superuser) when it was imported."""
        Reconciliation = self.env["it.lease.reconciliation"].with_user(self.portal)
        lines = None
        try:
            with self.env.cr.savepoint(flush=False) as savepoint:
                reconciliation = Reconciliation._it_portal_import_specification(
                    MARCH, content, "spec.csv"
                )
                lines = [
                    (line.serial_no, line.status, line.equipment_id)
                    for line in reconciliation.sudo().line_ids
                ]
                savepoint.rollback()
        except (UserError, ValidationError) as error:
            message = str(error.args[0])
        else:
            message = None
        self.env.invalidate_all()
        return message, lines

    def _count(self):
        return self.env["it.lease.reconciliation"].search_count([]) + self.env[
            "it.lease.reconciliation.line"
        ].search_count([])

    def _check_lines(self, lines, where):
        own = self.device_a | self.device_b | self.device_d
        for serial, _status, device in lines:
            self.assertLessEqual(device, own, f"{where}: {serial} linked to {device}")

    def test_fuzz_portal_upload_known_bad_cells(self):
        rng = random.Random(SEED)
        files = refused = 0
        failures = []
        cases = [(1, serial, regex) for serial, regex in BAD_SERIALS.items()]
        cases += [(2, period, regex) for period, regex in BAD_PERIODS.items()]
        for column, value, regex in cases:
            for delimiter in (";", ",", "\t"):
                rows = [list(row) for row in ROWS]
                target = rng.randrange(len(rows))
                rows[target][column] = value
                before = self._count()
                files += 1
                message, _lines = self._upload(self._csv(rows, delimiter))
                if message is None:
                    failures.append((value, delimiter, "accepted"))
                    continue
                refused += 1
                if self._count() != before:
                    failures.append((value, delimiter, "rows written"))
                if not re.search(rf"(?s)Row \d+\b.*{regex}", message):
                    failures.append((value, delimiter, message[:300]))
        _logger.info(
            "fuzz: %s portal upload files with a bad cell, %s refused, %s failures",
            files,
            refused,
            len(failures),
        )
        self.assertGreaterEqual(files, 60)
        self.assertFalse(failures, "\n".join(map(str, failures)))

    def test_fuzz_portal_upload_randomly_broken_files(self):
        """Bytes flipped, inserted and deleted, lines repeated, files cut,
        nasty values in front of cells (``tests/fuzz.py`` of the lease
        addon), other lessors' serials among them: imported or refused,
        never a traceback, never a link to a device not the lessor's."""
        rng = random.Random(SEED + 1)
        source = self._csv(ROWS)
        nasty_serials = [b"SN-Z", b"SN-N", b"SN-NOWHERE"] + NASTY
        outcomes = Counter()
        for number in range(RANDOM_FILES):
            content = mutate(rng, source)
            if number % 3 == 0:
                # Another lessor's serial (or a nasty value) in place of one.
                content = content.replace(
                    rng.choice([b"SN-A", b"SN-B", b"SN-D"]), rng.choice(nasty_serials)
                )
            before = self._count()
            message, lines = self._upload(content)
            self.assertEqual(self._count(), before, f"file {number}")
            if message is None:
                self._check_lines(lines, f"file {number}")
                outcomes["imported"] += 1
            else:
                outcomes["refused"] += 1
        _logger.info(
            "fuzz: %s randomly broken portal upload files, 0 tracebacks, 0 leaks: %s",
            RANDOM_FILES,
            dict(outcomes),
        )
        self.assertGreater(outcomes["refused"], 0)
        self.assertGreater(outcomes["imported"], 0)

    def test_other_lessors_serial_is_not_linked(self):
        """A valid file of lessor L1 billing SN-Z (L2's device) and SN-N (its
        own device, but of the other municipality): both not in the
        register, no device."""
        message, lines = self._upload(
            self._csv(ROWS + [["S-1", "SN-Z", "2026-03", "100"]])
        )
        self.assertIsNone(message)
        message, lines = self._upload(
            self._csv(
                ROWS
                + [["S-1", "SN-Z", "2026-03", "100"], ["S-1", "SN-N", "2026-03", "1"]]
            )
        )
        self.assertIsNone(message)
        by_serial = {serial: (status, device) for serial, status, device in lines}
        nothing = self.env["maintenance.equipment"]
        self.assertEqual(by_serial["SN-Z"], ("not_in_register", nothing))
        self.assertEqual(by_serial["SN-N"], ("not_in_register", nothing))
        self.assertEqual(by_serial["SN-A"], ("matched", self.device_a))
