# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging
import random
import re

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import INTUNE_HEADER, MdmCommon

_logger = logging.getLogger(__name__)

SEED = 20261129
FILES = 120
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
DELIMITERS = [",", ";", "\t"]
# Each mutation breaks a valid export in one way; the refusal must name the
# problem (the regex).
MESSAGES = {
    "binary_junk": r"NUL byte",
    "control_character": r"control character U\+00(07|1B|08)",
    "truncated_row": r"Row \d+ has \d+ columns .* cut off",
    "extra_columns": r"Row \d+ has \d+ columns but the header row has",
    "huge_field": r"(characters long|cannot be read as CSV)",
    "empty_file": r"(The file is empty|header row but no rows|upload the export file)",
    "fake_xlsx": r"cannot be read as one",
    "old_xls": r"Excel 97-2003",
    "formula": r"looks like a spreadsheet formula",
    "duplicate_serial": r"is also on row \d+",
    "empty_serial": r"the serial number is empty",
    "impossible_date": r"Row \d+, column 6 \(Last check-in\):",
    "future_date": r"is in the future",
}


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmFuzz(MdmCommon):
    """A seeded generator of malformed device-management exports: each is
    refused at preview with a UserError/ValidationError naming the problem
    (never a traceback), and nothing is written."""

    def _valid_rows(self, rng):
        return [
            [
                f"LAP-{n:04d}",
                f"PC-{n:04d}" if n < 4 else f"NEW-{rng.randrange(10**6)}-{n}",
                f"user{n}@kommun.se",
                "Windows",
                rng.choice(["10.0.22631.4460", "11", "10.0.26100.2314"]),
                "2026-05-30 10:00:00",
            ]
            for n in range(1, rng.randint(3, 7))
        ]

    def _mutate_rows(self, mutation, rng, rows, target):
        """Break the cells of a valid export in place."""
        if mutation == "control_character":
            column = rng.choice([0, 1, 2])
            cell = rows[target][column]
            cut = rng.randrange(len(cell) + 1)
            char = rng.choice(["\x07", "\x1b", "\x08"])
            rows[target][column] = cell[:cut] + char + cell[cut:]
        elif mutation == "truncated_row":
            rows[target] = rows[target][: rng.randint(1, 5)]
        elif mutation == "extra_columns":
            rows[target] += ["x"] * rng.randint(1, 5)
        elif mutation == "huge_field":
            rows[target][0] = "Z" * rng.randint(1001, 150_000)
        elif mutation == "formula":
            rows[target][rng.choice([0, 1, 2, 4])] = rng.choice(
                ["=1+1", '=HYPERLINK("http://x")', "@SUM(A1)", "=cmd|' /C calc'!A0"]
            )
        elif mutation == "duplicate_serial":
            copy = list(rows[target])
            copy[1] = rng.choice([copy[1].lower(), f" {copy[1]} ", copy[1]])
            rows.insert(rng.randrange(len(rows) + 1), copy)
        elif mutation == "empty_serial":
            rows[target][1] = rng.choice(["", "   ", "\u200b"])
        elif mutation == "impossible_date":
            rows[target][5] = rng.choice(
                [
                    "2026-02-30 10:00:00",
                    "2026-13-01 00:00:00",
                    "yesterday",
                    "31/2026",
                    "0",
                ]
            )
        elif mutation == "future_date":
            rows[target][5] = rng.choice(["2026-06-02 12:00:01", "2030-01-01 00:00:00"])

    def _mutate(self, mutation, rng):
        """The bytes of an Intune export broken by ``mutation``."""
        if mutation == "binary_junk":
            junk = bytearray(rng.randbytes(rng.randint(1, 4000)))
            junk.insert(rng.randrange(len(junk) + 1), 0)
            return bytes(junk).lstrip(b"\xff\xfe").lstrip(b"PK\xd0") or b"\x00"
        if mutation == "fake_xlsx":
            return b"PK\x03\x04" + rng.randbytes(rng.randint(0, 3000))
        if mutation == "old_xls":
            return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(500)
        if mutation == "empty_file":
            choice = rng.choice([b"", b"   \n\r\n", b"\n\n", None])
            if choice is not None:
                return choice
        header = INTUNE_HEADER.split(",")
        rows = [] if mutation == "empty_file" else self._valid_rows(rng)
        if rows:
            self._mutate_rows(mutation, rng, rows, rng.randrange(len(rows)))
        delimiter = rng.choice(DELIMITERS)
        encoding = rng.choice(ENCODINGS)
        if mutation in ("control_character", "huge_field", "empty_serial"):
            # Characters Windows-1252 cannot hold; UTF-16 doubles a huge field.
            encoding = rng.choice(["utf-8", "utf-8-sig"])

        def quote(cell):
            if delimiter in cell or '"' in cell or "\n" in cell:
                return '"' + cell.replace('"', '""') + '"'
            return cell

        text = "\r\n".join(delimiter.join(map(quote, row)) for row in [header, *rows])
        return text.encode(encoding)

    def _refusal_failure(self, mdm_import, mutation):
        """What is wrong with the preview's refusal of a broken export, or
        None when it is refused clearly and nothing is written."""
        try:
            # A broken ZIP makes Odoo's mimetype guess log a traceback of its
            # own (core, not the import): keep the log readable.
            with mute_logger("odoo.tools.mimetypes.guess_mimetype", "py.warnings"):
                mdm_import.action_preview()
        except (UserError, ValidationError) as error:
            message = str(error.args[0])
        except Exception as error:  # noqa: BLE001 - a traceback is the defect
            return f"traceback {error!r}"
        else:
            return "not refused"
        if not re.search(MESSAGES[mutation], message):
            return f"unclear message: {message[:300]}"
        if mdm_import.state != "draft" or mdm_import.line_ids:
            return "half written"
        return None

    def test_fuzz_every_malformed_export_refused_clearly(self):
        rng = random.Random(SEED)
        mutations = list(MESSAGES)
        before = {
            device: self._device_values(device)
            for device in (self.device_1, self.device_2, self.device_3)
        }
        files = refused = 0
        failures = []
        for number in range(FILES):
            mutation = mutations[number % len(mutations)]
            content = self._mutate(mutation, rng)
            files += 1
            mdm_import = self._import(base64.b64encode(content))
            failure = self._refusal_failure(mdm_import, mutation)
            if failure:
                failures.append(f"file {number} ({mutation}): {failure}")
            else:
                refused += 1
        for device, values in before.items():
            self.assertEqual(self._device_values(device), values)
        _logger.info(
            "fuzz: %s device-management files, %s refused, %s tracebacks",
            files,
            refused,
            sum("traceback" in failure for failure in failures),
        )
        self.assertFalse(failures, "\n".join(failures))
        self.assertEqual(refused, FILES)
