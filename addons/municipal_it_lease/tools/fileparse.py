# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read the files users upload, in every shape they arrive, or refuse them
with a message naming the row and column of each problem.

Used by the three imports: devices (Odoo's import), plan-change mapping files
and lessor specifications. A table is XLSX or CSV text: UTF-8 with or without
BOM, UTF-16 with BOM, else Windows-1252 / ISO-8859-1; semicolon, comma or tab
separated (the header row tells which). Binary junk, NUL bytes, control
characters, cut-off or overlong rows and oversized cells are refused.
Numbers are read as written in Sweden ("1 234,50", "−99,90") or in English;
non-finite, absurd or impossible values are refused, never guessed.
"""

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
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
DELIMITERS = (";", ",", "\t")
# Longest cell accepted: a serial, a code or an amount is short; a longer
# cell is a broken file (an unclosed quote swallowing the rest of it).
MAX_CELL_LENGTH = 1000
MAX_ROWS = 1_000_000
MAX_ERRORS_SHOWN = 25
# Amounts of a lease or a charge: anything at or above a billion kronor is a
# broken file, not an invoice line.
MAX_AMOUNT = 10**9
# Spaces a spreadsheet writes between thousands, and the minus signs it uses.
THOUSANDS_SPACES = " \u00a0\u202f\u2009\u2007'"
MINUS_SIGNS = "\u2212\u2012\u2013\ufe63\uff0d"
AMOUNT_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
# Text that a spreadsheet would run as a formula or a command.
FORMULA_PREFIXES = ("=", "@")


def shown_errors(env, errors):
    """``errors`` as listed to the user: at most MAX_ERRORS_SHOWN, then how
    many more there are."""
    shown = errors[:MAX_ERRORS_SHOWN]
    if len(errors) > MAX_ERRORS_SHOWN:
        shown.append(
            env._("… and %(count)s more problems.", count=len(errors) - len(shown))
        )
    return shown


def raise_errors(env, errors, title=None):
    """Raise one UserError listing ``errors`` (at most MAX_ERRORS_SHOWN)."""
    if not errors:
        return
    lines = ([title] if title else []) + shown_errors(env, errors)
    raise UserError("\n".join(lines))


def decode_text(content, env):
    """Text of a CSV file. UTF-16 and UTF-8 with a BOM, then UTF-8, then
    Windows-1252, then ISO-8859-1 (which reads any byte; the control
    characters it may produce are refused per cell by ``read_table``)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UserError(
                env._(
                    "The file starts as UTF-16 text but byte %(position)s is not "
                    "UTF-16: save it again as CSV (UTF-8) or XLSX.",
                    position=error.start + 1,
                )
            ) from error
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def sniff_delimiter(text):
    """The delimiter of the header row: the one of ``;``, ``,`` and tab it
    uses most, outside quotes (a Swedish spreadsheet saves ``;`` since the
    comma is its decimal separator). ``;`` when it has none."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def control_character(text):
    """The first control character of ``text`` other than tab and line
    breaks, as ``U+XXXX`` text, or None."""
    if text.isprintable():  # the usual cell: no control character at all
        return None
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in "\t\r\n":
            return f"U+{ord(char):04X}"
    return None


def _column_name(header, index):
    name = header[index] if header and index < len(header) else ""
    return f"{index + 1} ({name})" if name else str(index + 1)


def _cell_text(cell):
    if isinstance(cell, str):  # every cell of a CSV file
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime.datetime) and cell.time() == datetime.time(0):
        cell = cell.date()
    return str(cell).strip()


def _read_csv(content, env, delimiter=None):
    if b"\x00" in content and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        row = content[: content.index(b"\x00")].count(b"\n") + 1
        raise UserError(
            env._(
                "Row %(row)s contains a NUL byte: this is binary data, not a CSV "
                "text file. Save the table as CSV or XLSX and upload it again.",
                row=row,
            )
        )
    text = decode_text(content, env)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text)
    )
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
            if len(rows) > MAX_ROWS:
                raise UserError(
                    env._(
                        "The file has more than %(max)s rows; split it.", max=MAX_ROWS
                    )
                )
    except csv.Error as error:
        raise UserError(
            env._(
                "Row %(row)s cannot be read as CSV (%(error)s); check its quotes.",
                row=reader.line_num,
                error=error,
            )
        ) from error
    return rows


def _read_xlsx(content, env):
    if load_workbook is None:  # pragma: no cover
        raise UserError(env._("Reading XLSX files needs the openpyxl package."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(row)))
            if len(rows) > MAX_ROWS:
                break
    # Whatever openpyxl, zipfile, zlib or the XML parser trip on (each has
    # its own exceptions), the file is not a workbook.
    except Exception as error:
        raise UserError(
            env._(
                "The file looks like an XLSX workbook but cannot be read as one "
                "(%(error)s). Open it in a spreadsheet and save it again as XLSX "
                "or CSV.",
                error=type(error).__name__,
            )
        ) from error
    if len(rows) > MAX_ROWS:
        raise UserError(
            env._("The file has more than %(max)s rows; split it.", max=MAX_ROWS)
        )
    return rows


def read_table(content, env, delimiter=None):
    """Rows of the uploaded file, header row first, as (row number as the
    user sees it, [cell text]). Blank rows are skipped; trailing empty cells
    beyond the header are dropped. Raises UserError naming every row and
    column that is not text a person typed: control characters, cells
    longer than MAX_CELL_LENGTH, rows with more or fewer cells than the
    header."""
    if not content or not content.strip():
        raise UserError(env._("The file is empty."))
    if content.startswith(OLE_MAGIC):
        raise UserError(
            env._(
                "The file is an old Excel 97-2003 (.xls) workbook: save it as "
                "XLSX or CSV and upload it again."
            )
        )
    if content.startswith(XLSX_MAGIC):
        raw_rows = _read_xlsx(content, env)
    else:
        raw_rows = _read_csv(content, env, delimiter)
    return check_rows(raw_rows, env)


def check_rows(raw_rows, env):
    """The non-blank rows of ``raw_rows`` [(row number, cells)] as text,
    refused (UserError) as ``read_table`` describes."""
    rows, errors, header, width = [], [], None, 0
    for number, row in raw_rows:
        cells = _row_cells(row)
        if not any(cells):
            continue
        rows.append((number, cells))
        if header is None:
            header = cells
            while header and not header[-1]:
                header.pop()
            width = len(header)
        while len(cells) > width and not cells[-1]:
            cells.pop()
        joined = "".join(cells)
        # The usual row: every character printable and short enough in all;
        # only other rows are checked cell by cell.
        if len(joined) > MAX_CELL_LENGTH or not joined.isprintable():
            errors += _cell_problems(env, number, cells, header)
        if len(cells) != width:
            errors.append(_width_problem(env, number, cells, width))
    if not rows:
        raise UserError(env._("The file is empty."))
    raise_errors(env, errors, env._("The file was not imported:"))
    return rows


def _row_cells(row):
    """The cells of one raw row as stripped text."""
    try:
        # Every cell of a CSV file is text: strip it here rather than
        # call _cell_text 500,000 times for a big file.
        return list(map(str.strip, row))
    except TypeError:  # a workbook's numbers, dates and empty cells
        return [_cell_text(cell) for cell in row]


def _cell_problems(env, number, cells, header):
    """Problems of the cells of row ``number``: control characters and
    cells longer than MAX_CELL_LENGTH, naming the column of each."""
    problems = []
    for index, cell in enumerate(cells):
        char = control_character(cell)
        if char:
            problems.append(
                env._(
                    "Row %(row)s, column %(column)s: contains the control "
                    "character %(char)s; the file is binary or not in UTF-8 "
                    "or Windows-1252 text.",
                    row=number,
                    column=_column_name(header, index),
                    char=char,
                )
            )
        elif len(cell) > MAX_CELL_LENGTH:
            problems.append(
                env._(
                    "Row %(row)s, column %(column)s: the value is %(length)s "
                    "characters long, at most %(max)s are accepted.",
                    row=number,
                    column=_column_name(header, index),
                    length=len(cell),
                    max=MAX_CELL_LENGTH,
                )
            )
    return problems


def _width_problem(env, number, cells, width):
    """The problem of row ``number``, which has more or fewer cells than
    the header row's ``width``."""
    if len(cells) > width:
        return env._(
            "Row %(row)s has %(count)s columns but the header row has "
            "%(width)s: a value holds an unquoted separator, or the row is "
            "shifted.",
            row=number,
            count=len(cells),
            width=width,
        )
    return env._(
        "Row %(row)s has %(count)s columns but the header row has "
        "%(width)s: the row is cut off.",
        row=number,
        count=len(cells),
        width=width,
    )


def formula_problem(text, env):
    """A problem text when ``text`` would run as a spreadsheet formula."""
    if text and text.startswith(FORMULA_PREFIXES):
        return env._(
            "%(value)r looks like a spreadsheet formula, not a value", value=text[:40]
        )
    return None


def parse_amount(text, env):
    """(amount, None) of a money amount as written in Sweden or in English
    ("1 234,50", "1.234,50", "1234.50", "−99,90", "-99,90 kr"); (None,
    problem) when it is not one: empty, not a number, NaN or infinite, more
    than two decimals, or absurdly large."""
    raw = (text or "").strip()
    value = raw
    for space in THOUSANDS_SPACES:
        value = value.replace(space, "")
    for minus in MINUS_SIGNS:
        value = value.replace(minus, "-")
    for suffix in ("kr", "SEK", ":-"):
        value = value.removesuffix(suffix)
    if not value:
        return None, env._("the amount is empty")
    if "," in value and "." in value:
        # The last separator is the decimal one.
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif value.count(",") == 1:
        value = value.replace(",", ".")
    if not AMOUNT_RE.match(value):
        return None, env._("amount %(value)r is not a number", value=raw[:40])
    if "." in value and len(value.split(".")[1]) > 2:
        return None, env._(
            "amount %(value)r has more than two decimals", value=raw[:40]
        )
    amount = float(value)
    if abs(amount) >= MAX_AMOUNT:
        return None, env._(
            "amount %(value)r is not a plausible amount (%(max)s or more)",
            value=raw[:40],
            max=MAX_AMOUNT,
        )
    return amount, None


MONTH_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(-(?P<d>\d{1,2}))?( 00:00:00)?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
    re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"),
]


def parse_month(text, env):
    """(first day of the month, None) of a period: "2026-03", "202603",
    "2026-03-01", "2026-03-31", "03/2026" or a spreadsheet date; (None,
    problem) otherwise, and for impossible dates such as 2026-02-30 or
    years outside 1900-2199."""
    if isinstance(text, datetime.date):
        return text.replace(day=1), None
    value = (text or "").strip()
    for pattern in MONTH_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        year, month = int(match["y"]), int(match["m"])
        day = int(match.groupdict().get("d") or 1)
        if not 1900 <= year <= 2199:
            break
        try:
            datetime.date(year, month, day)
        except ValueError:
            return None, env._("period %(value)r is not a date", value=value)
        return datetime.date(year, month, 1), None
    return None, env._("period %(value)r is not a month", value=value[:40])
