# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read the tables users upload: XLSX, or CSV as spreadsheets in Sweden save
it (UTF-8 with or without BOM, or Windows-1252; comma or semicolon)."""

import csv
import datetime
import io
import re
import unicodedata

from odoo.exceptions import UserError

try:
    from openpyxl import load_workbook
except ImportError:  # pragma: no cover - openpyxl is an Odoo requirement
    load_workbook = None

XLSX_MAGIC = b"PK\x03\x04"


def decode_text(content):
    """Text of a CSV file: UTF-8 (a BOM is dropped), else Windows-1252."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def read_rows(content, env):
    """Rows of the uploaded file as lists of strings, header row included,
    with their row numbers as the user sees them (1 = the first row).
    Blank rows are skipped."""
    if not content:
        raise UserError(env._("The file is empty."))
    if content.startswith(XLSX_MAGIC):
        rows = _read_xlsx(content, env)
    else:
        rows = _read_csv(content)
    rows = [
        (number, [_cell_text(cell) for cell in row])
        for number, row in rows
        if any(_cell_text(cell) for cell in row)
    ]
    if not rows:
        raise UserError(env._("The file is empty."))
    return rows


def _read_csv(content):
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    # A Swedish spreadsheet saves semicolons, since the comma is its decimal
    # separator; the header line tells which one this file uses.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return list(enumerate(reader, start=1))


def _read_xlsx(content, env):
    if load_workbook is None:  # pragma: no cover
        raise UserError(env._("Reading XLSX files needs the openpyxl package."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    # Whatever openpyxl trips on, the user gave a file that is not a workbook.
    except Exception as error:
        raise UserError(
            env._("The file is not a readable XLSX workbook: %(error)s", error=error)
        ) from error
    sheet = workbook.worksheets[0]
    return list(enumerate(sheet.iter_rows(values_only=True), start=1))


def _cell_text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def normalize_header(name):
    """Case, accents and spacing do not matter in header names."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore")
    return " ".join(text.decode().lower().replace("_", " ").split())


def find_columns(header, wanted, env, row_number=1):
    """Map each wanted column to its index in ``header``.

    ``wanted`` maps a key to (label, accepted header names); the names are
    compared after ``normalize_header``. A missing column is refused naming
    what the header row holds and what was looked for.
    """
    normalized = [normalize_header(name) for name in header]
    columns, missing = {}, []
    for key, (label, names) in wanted.items():
        accepted = {normalize_header(name) for name in names}
        index = next((i for i, name in enumerate(normalized) if name in accepted), None)
        if index is None:
            missing.append(f"{label} ({' / '.join(names)})")
        else:
            columns[key] = index
    if missing:
        raise UserError(
            env._(
                "Row %(row)s, the header row, lacks the column(s): %(missing)s. "
                "It has: %(found)s.",
                row=row_number,
                missing="; ".join(missing),
                found=", ".join(name for name in header if name) or "-",
            )
        )
    return columns


def parse_amount(text):
    """A money amount as written in Sweden or in English: "1 234,50",
    "1.234,50", "1234.50", "-99,90". Returns None when it is not a number."""
    value = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    value = value.replace("kr", "").replace("SEK", "").strip()
    if not value:
        return None
    if "," in value and "." in value:
        # The last separator is the decimal one.
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        value = value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None


def parse_month(text):
    """The first day of the month a period names: "2026-03", "202603",
    "2026-03-01", "2026-03-31", "03/2026" or a spreadsheet date. None when
    unreadable."""
    if isinstance(text, datetime.date):
        return text.replace(day=1)
    value = (text or "").strip()
    patterns = [
        r"^(?P<y>\d{4})-(?P<m>\d{1,2})(-\d{1,2})?( 00:00:00)?$",
        r"^(?P<y>\d{4})(?P<m>\d{2})$",
        r"^(?P<m>\d{1,2})/(?P<y>\d{4})$",
    ]
    for pattern in patterns:
        match = re.match(pattern, value)
        if match:
            year, month = int(match["y"]), int(match["m"])
            if 1 <= month <= 12:
                return datetime.date(year, month, 1)
    return None
