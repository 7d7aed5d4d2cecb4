# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging
import random
import re
from collections import Counter

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_reconciliation import MARCH, ItReconciliationCommon
from .fuzz import mutate

_logger = logging.getLogger(__name__)

SEED = 20261129
FILES_PER_IMPORT = 110
RANDOM_FILES_PER_IMPORT = 150
DEVICE_FIELDS = ["name", "serial_no", "device_category", "activity_code_id"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
DELIMITERS = [";", ",", "\t"]

# Each mutation breaks a valid file in one way; the message must name the
# problem (the regex), whatever import reads the file.
MESSAGES = {
    "undefined_cp1252_byte": r"control character U\+0081",
    "binary_junk": r"NUL byte",
    "nul_line_end": r"NUL byte",
    "control_character": r"control character U\+00(07|1B|08)",
    "truncated_row": r"Row \d+ has \d+ columns .* cut off",
    "extra_columns": r"Row \d+ has \d+ columns but the header row has",
    "huge_field": r"(characters long|cannot be read as CSV)",
    "empty_file": r"(The file is empty|header row but no|Choose the mapping file)",
    "fake_xlsx": r"cannot be read as one",
    "old_xls": r"Excel 97-2003",
}
GENERIC = list(MESSAGES)
SPECIFIC = {
    "spec": {
        "formula": r"(not a number|looks like a spreadsheet formula)",
        "duplicate_rows": r"invoiced twice",
        "not_a_number": r"is not a number",
        "absurd_amount": r"(not a plausible amount|more than two decimals)",
        "impossible_date": r"(is not a date|is not a month)",
    },
    "remap": {
        "formula": r"looks like a spreadsheet formula",
        "duplicate_rows": r"already mapped",
    },
    "device": {
        "formula": r"looks like a spreadsheet formula",
        "duplicate_rows": r"already used by device",
    },
}


@tagged("post_install", "-at_install")
class TestImportFuzz(ItReconciliationCommon):
    """A seeded generator of malformed files for the three imports: each is
    refused with a UserError/ValidationError (never a traceback), with a
    message naming the problem, and writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.analytic.account"].create(
            [
                {"name": "Grundskola 2027", "code": "3300", "plan_id": cls.plan.id},
                {"name": "Äldreomsorg 2027", "code": "4200", "plan_id": cls.plan.id},
            ]
        )
        cls.remap = cls.env["it.activity.code.remap"].create(
            {
                "effective_date": "2027-01-01",
                "line_ids": [
                    Command.create(
                        {"sequence": 2, "old_code": "3200", "new_code": "3300"}
                    )
                ],
            }
        )

    # Valid files, as tables of text

    def _valid_table(self, kind, rng):
        if kind == "spec":
            header = ["Schedule", "Serial", "Period", "Amount"]
            rows = [
                ["S-1", "SN-A", "2026-03", rng.choice(["500,00", "500", "500.00"])],
                ["S-1", "SN-B", "2026-03", rng.choice(["400", "4 00,00", "400,0"])],
                ["S-1", "SN-D", "2026-03", "−250,00"],
            ]
        elif kind == "remap":
            header = ["Gammal kod", "Ny kod", "Förvaltning"]
            rows = [["3200", "3300", "Skola"], ["4100", "4200", "Vård"]]
        else:
            header = list(DEVICE_FIELDS)
            rows = [
                [
                    f"Bärbar dator {n}",
                    f"FZ-{rng.randrange(10**6)}-{n}",
                    "laptop",
                    "3200",
                ]
                for n in range(1, rng.randint(2, 6))
            ]
        return header, rows

    def _mutate(self, kind, mutation, rng):
        """(bytes of the file, its name) broken by ``mutation``."""
        header, rows = self._valid_table(kind, rng)
        text_col = {"spec": 1, "remap": 0, "device": 1}[kind]
        target = rng.randrange(len(rows))
        encoding = rng.choice(ENCODINGS)
        delimiter = rng.choice(DELIMITERS)
        raw = None
        if mutation == "binary_junk":
            junk = bytearray(rng.randbytes(rng.randint(1, 4000)))
            junk.insert(rng.randrange(len(junk) + 1), 0)
            return bytes(junk).lstrip(b"\xff\xfe").lstrip(b"PK\xd0") or b"\x00", "x.csv"
        if mutation == "empty_file":
            choice = rng.choice([b"", b"   \n\r\n", b"\n\n", None])
            if choice is not None:
                return choice, "empty.csv"
            rows = []
        if mutation == "fake_xlsx":
            return b"PK\x03\x04" + rng.randbytes(rng.randint(0, 3000)), "fake.xlsx"
        if mutation == "old_xls":
            return (
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(500),
                "old.xls",
            )
        self._mutate_rows(kind, mutation, rng, header, rows, target)
        text = "\r\n".join(
            delimiter.join(self._quote(cell, delimiter) for cell in row)
            for row in [header] + rows
        )
        if mutation == "undefined_cp1252_byte":
            encoding = "cp1252"
        if encoding == "cp1252":
            # Windows-1252 has no minus sign; the lessor's file has a hyphen.
            text = text.replace("\u2212", "-")
        if mutation in ("control_character", "huge_field") and encoding == "utf-16":
            encoding = "utf-8"
        raw = text.encode(encoding)
        if mutation == "undefined_cp1252_byte":
            # 0x81 is undefined in Windows-1252: the file is read as
            # ISO-8859-1 and the byte becomes the control character U+0081.
            position = raw.index(
                rows[target][text_col].encode("cp1252"), len(header[0])
            )
            raw = raw[:position] + b"\x81" + raw[position:]
        elif mutation == "nul_line_end":
            encoding = "utf-8"
            raw = text.encode(encoding)
            lines = raw.split(b"\r\n")
            index = rng.randrange(len(lines))
            lines[index] += b"\x00"
            raw = b"\r\n".join(lines)
        return raw, "file.csv"

    def _mutate_rows(self, kind, mutation, rng, header, rows, target):
        """Break the cells of a valid table in place."""
        text_col = {"spec": 1, "remap": 0, "device": 1}[kind]
        if mutation == "control_character":
            char = rng.choice(["\x07", "\x1b", "\x08"])
            cell = rows[target][text_col]
            cut = rng.randrange(len(cell) + 1)
            rows[target][text_col] = cell[:cut] + char + cell[cut:]
        elif mutation == "truncated_row":
            rows[target] = rows[target][: rng.randint(1, len(header) - 1)]
        elif mutation == "extra_columns":
            rows[target] += ["x"] * rng.randint(1, 5)
        elif mutation == "huge_field":
            rows[target][text_col] = "Z" * rng.randint(1001, 150_000)
        elif mutation == "formula":
            column = {"spec": rng.choice([1, 3]), "remap": rng.choice([0, 1])}.get(
                kind, 1
            )
            rows[target][column] = rng.choice(
                ["=1+1", '=HYPERLINK("http://x")', "@SUM(A1)", "=cmd|' /C calc'!A0"]
            )
        elif mutation == "duplicate_rows":
            rows.insert(rng.randrange(len(rows) + 1), list(rows[target]))
        elif mutation == "not_a_number":
            rows[target][3] = rng.choice(
                ["NaN", "nan", "Infinity", "-inf", "1e309", "1_000", "0x10", "5OO"]
            )
        elif mutation == "absurd_amount":
            rows[target][3] = rng.choice(
                ["99999999999", "1 000 000 000,00", "-5000000000", "12,3456"]
            )
        elif mutation == "impossible_date":
            rows[target][2] = rng.choice(
                ["2026-02-30", "2026-13", "2026-00", "0000-01", "31/2026", "9999-01"]
            )

    def _quote(self, cell, delimiter):
        if delimiter in cell or '"' in cell or "\n" in cell:
            return '"' + cell.replace('"', '""') + '"'
        return cell

    # Running each import

    def _count(self, kind):
        if kind == "spec":
            return self.env["it.lease.reconciliation.line"].search_count([]) + (
                self.env["it.lease.reconciliation"].search_count([])
            )
        if kind == "remap":
            return [(line.old_code, line.new_code) for line in self.remap.line_ids]
        return self.env["maintenance.equipment"].search_count([])

    def _run(self, kind, content, filename):
        """The message refusing the file; raises anything that is not a
        clear refusal."""
        if kind == "spec":
            self.env["it.lease.reconciliation"]._import_specification(
                self.lessor, MARCH, content, filename
            )
        elif kind == "remap":
            self.remap.write(
                {"import_file": base64.b64encode(content), "import_filename": filename}
            )
            self.remap.action_import_file()
        else:
            # Storing a broken ZIP makes Odoo's mimetype guess log a warning
            # with a traceback (core, not the import): keep the log readable.
            with mute_logger("odoo.tools.mimetypes.guess_mimetype", "py.warnings"):
                importer = (
                    self.env["base_import.import"]
                    .with_user(self.it_user)
                    .create(
                        {
                            "res_model": "maintenance.equipment",
                            "file": content,
                            "file_name": filename,
                            "file_type": "text/csv",
                        }
                    )
                )
            result = importer.execute_import(
                DEVICE_FIELDS,
                DEVICE_FIELDS,
                {"quoting": '"', "separator": "", "has_headers": True},
            )
            errors = [m["message"] for m in result["messages"] if m["type"] == "error"]
            if result.get("ids") or not errors:
                return None
            return "\n".join(errors)
        return None

    def test_fuzz_every_malformed_file_refused_clearly(self):
        rng = random.Random(SEED)
        files = refused = 0
        failures = []
        for kind in ("spec", "remap", "device"):
            mutations = GENERIC + list(SPECIFIC[kind])
            for number in range(FILES_PER_IMPORT):
                # Every mutation at least once, then at random.
                mutation = (
                    mutations[number]
                    if number < len(mutations)
                    else rng.choice(mutations)
                )
                expected = {**MESSAGES, **SPECIFIC[kind]}[mutation]
                content, filename = self._mutate(kind, mutation, rng)
                files += 1
                before = self._count(kind)
                message = None
                try:
                    with self.env.cr.savepoint():
                        message = self._run(kind, content, filename)
                        written = self._count(kind) != before
                except (UserError, ValidationError) as error:
                    message = str(error.args[0])
                    written = self._count(kind) != before
                except Exception as error:  # counted as a traceback
                    failures.append((kind, mutation, number, f"traceback: {error!r}"))
                    _logger.exception("fuzz: traceback on %s/%s", kind, mutation)
                    continue
                if message is None:
                    failures.append((kind, mutation, number, "accepted"))
                    continue
                refused += 1
                if written:
                    failures.append((kind, mutation, number, "rows written"))
                if not re.search(expected, message, re.DOTALL):
                    failures.append(
                        (kind, mutation, number, f"message {message[:300]!r}")
                    )
        tracebacks = sum(1 for failure in failures if "traceback" in failure[3])
        _logger.info(
            "fuzz: %s files, %s refused, %s tracebacks, %s failures",
            files,
            refused,
            tracebacks,
            len(failures),
        )
        self.assertGreaterEqual(files, 300)
        self.assertFalse(failures, "\n".join(map(str, failures[:40])))

    def test_fuzz_randomly_broken_files(self):
        """Beyond the known mutations: bytes flipped, inserted and deleted,
        lines repeated, files cut, nasty values in front of cells
        (``tests/fuzz.py``). Each file is imported or refused, never a
        traceback, and a refused file writes nothing."""
        rng = random.Random(SEED + 1)
        outcomes = Counter()
        for kind in ("spec", "remap", "device"):
            header, rows = self._valid_table(kind, rng)
            source = "\r\n".join(";".join(row) for row in [header] + rows).encode()
            for number in range(RANDOM_FILES_PER_IMPORT):
                content = mutate(rng, source)
                before = self._count(kind)
                try:
                    with self.env.cr.savepoint(flush=False) as savepoint:
                        message = self._run(kind, content, "random.csv")
                        written = self._count(kind) != before
                        savepoint.rollback()
                except (UserError, ValidationError):
                    message, written = "refused", False
                self.env.invalidate_all()
                self.assertEqual(self._count(kind), before, f"{kind} {number}")
                if message is None:
                    self.assertTrue(written or kind == "remap", f"{kind} {number}")
                    outcomes[kind, "imported"] += 1
                else:
                    outcomes[kind, "refused"] += 1
        _logger.info(
            "fuzz: %s randomly broken files, 0 tracebacks: %s",
            3 * RANDOM_FILES_PER_IMPORT,
            dict(outcomes),
        )
        for kind in ("spec", "remap", "device"):
            self.assertGreater(outcomes[kind, "refused"], 0, kind)
