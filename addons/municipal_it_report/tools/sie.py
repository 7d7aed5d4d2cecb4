# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write and read SIE 4 files (SIE filformat utgåva 4B, 2008-09-30, sie.se).

Pure Python, no Odoo: the export wizard builds a :class:`SieFile` from posted
journal entries and :func:`write` turns it into bytes; :func:`read` parses any
SIE 4 file back (the tests read every exported file and the public reference
files with it).

The rules implemented, with the section of the specification:

* the file is codepage 437 (``#FORMAT PC8``); a character outside it is
  replaced by ``?`` when writing (§5.3);
* a record is one line: a label (``#VER``) and fields separated by spaces or
  tabs; a field holding a space, a tab, a quote or nothing at all is written
  between quotes, and a quote inside a field is written ``\\"`` (§5.7);
* an object list is ``{dimension "object" ...}`` (§5.8), a voucher's
  transactions are the records between ``{`` and ``}`` lines after ``#VER``;
* amounts have a ``.`` and two decimals (§5.9); dates are ``YYYYMMDD``;
* the financial years (``#RAR``: 0 the current year, -1 the one before, with
  first and last day) and the chart type (``#KPTYP``, e.g. ``EUBAS97``) follow
  ``#FNAMN`` in the order of the identification records (§8);
* ``#KSUMMA`` (§10): CRC-32 (``zlib.crc32``) over the CP437 bytes of every label
  and field between the opening ``#KSUMMA`` and the closing one, without the
  separators, line ends, quotes around fields, braces or the backslash of
  ``\\"``; written as an unsigned decimal.
"""

import datetime
import re
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ENCODING = "cp437"
CENT = Decimal("0.01")
# Control characters are not allowed inside a field (§5.3).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SieError(ValueError):
    """A file that does not follow the SIE 4 format, with the line number."""


@dataclass
class SieTransaction:
    account: str
    amount: Decimal
    objects: list = field(default_factory=list)  # [(dimension, object id)]
    date: datetime.date | None = None
    text: str = ""
    quantity: Decimal | None = None


@dataclass
class SieVoucher:
    date: datetime.date
    text: str = ""
    series: str = ""
    number: str = ""
    reg_date: datetime.date | None = None
    transactions: list = field(default_factory=list)

    def balance(self):
        return sum((t.amount for t in self.transactions), Decimal(0))


@dataclass
class SieFile:
    """What a SIE 4I file holds; ``records`` keeps, after :func:`read`, every
    record as ``(label, fields)`` with object lists as Python lists."""

    program: str = ""
    program_version: str = ""
    generated: datetime.date | None = None
    generated_by: str = ""
    company_name: str = ""
    org_number: str = ""
    sie_type: str = "4"
    financial_years: dict = field(default_factory=dict)  # 0, -1 -> (from, to)
    chart_type: str = ""
    accounts: dict = field(default_factory=dict)  # number -> name
    dimensions: dict = field(default_factory=dict)  # number -> name
    objects: dict = field(default_factory=dict)  # (dimension, id) -> name
    vouchers: list = field(default_factory=list)
    with_checksum: bool = False
    checksum: int | None = None  # as read from the closing #KSUMMA
    computed_checksum: int | None = None  # computed while reading
    records: list = field(default_factory=list)


# Writing


def format_amount(amount):
    """``1234.5`` → ``"1234.50"``; half up, never a thousands separator."""
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    if value == 0:
        value = Decimal("0.00")  # no "-0.00"
    return f"{value:.2f}"


def format_date(value):
    return value.strftime("%Y%m%d") if value else ""


def to_cp437(text):
    """The text as CP437 can hold it: control characters become spaces and
    characters CP437 lacks become ``?``."""
    text = _CONTROL.sub(" ", text or "")
    return text.encode(ENCODING, errors="replace").decode(ENCODING)


def quote(text):
    """A text field, always between quotes, with ``"`` escaped as ``\\"``."""
    return '"' + to_cp437(text).replace("\\", "/").replace('"', '\\"') + '"'


def bare(text):
    """A field without quotes where that is unambiguous (numbers, codes)."""
    text = to_cp437(str(text))
    if not text or re.search(r'[\s"{}\\]', text):
        return quote(text)
    return text


def format_objects(objects):
    return "{" + " ".join(f"{bare(dim)} {quote(obj)}" for dim, obj in objects) + "}"


def format_org_number(value):
    """Swedish organisation number as ``nnnnnn-nnnn`` (§ #ORGNR); anything
    else raises, so a wrong number never reaches the other system."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 12 and digits.startswith(("16", "19", "20")):
        digits = digits[2:]
    if len(digits) != 10:
        raise SieError(
            f"The organisation number {value!r} does not have 10 digits (nnnnnn-nnnn)."
        )
    return f"{digits[:6]}-{digits[6:]}"


def _transaction_line(trans):
    parts = [
        "#TRANS",
        bare(trans.account),
        format_objects(trans.objects),
        format_amount(trans.amount),
    ]
    tail = [
        format_date(trans.date) or '""',
        quote(trans.text),
        format_amount(trans.quantity) if trans.quantity is not None else "",
    ]
    while tail and tail[-1] in ("", '""'):
        tail.pop()
    return " ".join(parts + tail)


def write_lines(sie):
    """The lines of ``sie`` as text (CP437-safe), without line ends. Refuses a
    voucher that does not sum to zero, naming it."""
    lines = ["#FLAGGA 0"]
    if sie.with_checksum:
        lines.append("#KSUMMA")
    lines += [
        f"#PROGRAM {quote(sie.program)} {bare(sie.program_version or '1.0')}",
        "#FORMAT PC8",
        f"#GEN {format_date(sie.generated)} {quote(sie.generated_by)}".rstrip(),
        f"#SIETYP {sie.sie_type}",
        f"#ORGNR {format_org_number(sie.org_number)}",
        f"#FNAMN {quote(sie.company_name)}",
    ]
    lines += [
        f"#RAR {index} {format_date(first)} {format_date(last)}"
        for index, (first, last) in sorted(sie.financial_years.items(), reverse=True)
    ]
    if sie.chart_type:
        lines.append(f"#KPTYP {bare(sie.chart_type)}")
    lines += [
        f"#KONTO {bare(number)} {quote(name)}"
        for number, name in sorted(sie.accounts.items())
    ]
    for dim, dim_name in sorted(sie.dimensions.items()):
        lines.append(f"#DIM {bare(dim)} {quote(dim_name)}")
        lines += [
            f"#OBJEKT {bare(dim)} {quote(obj)} {quote(name)}"
            for (obj_dim, obj), name in sorted(sie.objects.items())
            if obj_dim == dim
        ]
    for index, voucher in enumerate(sie.vouchers, start=1):
        if voucher.balance() != 0:
            raise SieError(
                f"Voucher {index} ({voucher.text}) does not sum to zero: "
                f"{format_amount(voucher.balance())}."
            )
        head = [
            "#VER",
            quote(voucher.series),
            quote(voucher.number),
            format_date(voucher.date),
            quote(voucher.text),
        ]
        if voucher.reg_date:
            head.append(format_date(voucher.reg_date))
        lines.append(" ".join(head))
        lines.append("{")
        lines += [_transaction_line(trans) for trans in voucher.transactions]
        lines.append("}")
    if sie.with_checksum:
        crc = checksum_of_lines(lines[lines.index("#KSUMMA") + 1 :])
        lines.append(f"#KSUMMA {crc}")
    return lines


def write(sie):
    """The file as CP437 bytes with CRLF line ends, as SIE readers on
    Windows expect them."""
    return ("\r\n".join(write_lines(sie)) + "\r\n").encode(ENCODING)


# Reading


def split_fields(line, lineno=0):
    """Split one record into label and fields; an object list becomes a list
    of its fields. Quotes are removed and ``\\"`` unescaped."""
    fields_, stack = [], None
    i, size = 0, len(line)
    while i < size:
        char = line[i]
        if char in " \t":
            i += 1
            continue
        if char == "{":
            if stack is not None:
                raise SieError(f"Line {lineno}: nested braces.")
            stack = []
            i += 1
            continue
        if char == "}":
            if stack is None:
                raise SieError(f"Line {lineno}: a closing brace without opening.")
            fields_.append(stack)
            stack = None
            i += 1
            continue
        if char == '"':
            value, i = _read_quoted(line, i + 1, lineno)
        else:
            start = i
            while i < size and line[i] not in ' \t{}"':
                i += 1
            value = line[start:i]
        (fields_ if stack is None else stack).append(value)
    if stack is not None:
        raise SieError(f"Line {lineno}: an object list is not closed.")
    return fields_


def _read_quoted(line, i, lineno):
    out = []
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line) and line[i + 1] == '"':
            out.append('"')
            i += 2
            continue
        if char == '"':
            return "".join(out), i + 1
        out.append(char)
        i += 1
    raise SieError(f"Line {lineno}: a quote is not closed.")


def _crc_parts(fields_):
    for value in fields_:
        if isinstance(value, list):
            yield from value
        else:
            yield value


def checksum_of_records(records):
    """CRC-32 of parsed records ``[(label, fields), ...]`` per §10."""
    crc = 0
    for label, fields_ in records:
        crc = zlib.crc32(label.encode(ENCODING), crc)
        for part in _crc_parts(fields_):
            crc = zlib.crc32(part.encode(ENCODING), crc)
    return crc & 0xFFFFFFFF


def checksum_of_lines(lines):
    records = []
    for lineno, line in enumerate(lines, start=1):
        parsed = _parse_line(line, lineno)
        if parsed:
            records.append(parsed)
    return checksum_of_records(records)


def _parse_line(line, lineno):
    line = line.strip()
    if not line or line in ("{", "}"):
        return None
    if not line.startswith("#"):
        raise SieError(f"Line {lineno}: a record must start with '#': {line[:40]!r}")
    label, _sep, rest = line.partition(" ")
    if "\t" in label:
        label, _sep, tail = label.partition("\t")
        rest = tail + " " + rest
    return label, split_fields(rest, lineno)


def _to_date(value):
    if not value:
        return None
    return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:8]))


def read(content):
    """Parse SIE 4 bytes (CP437) into a :class:`SieFile`; raises
    :class:`SieError` naming the line of the first problem."""
    text = content.decode(ENCODING)
    sie = SieFile()
    voucher = None
    in_block = False
    checksummed = None  # records between the two #KSUMMA, when present
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped == "{":
            if voucher is None:
                raise SieError(f"Line {lineno}: '{{' without a #VER before it.")
            in_block = True
            continue
        if stripped == "}":
            if not in_block:
                raise SieError(f"Line {lineno}: '}}' without a '{{' before it.")
            in_block = False
            voucher = None
            continue
        parsed = _parse_line(raw, lineno)
        if not parsed:
            continue
        label, values = parsed
        if label == "#KSUMMA":
            if values:
                sie.checksum = int(values[0])
                sie.computed_checksum = checksum_of_records(checksummed or [])
                checksummed = None
            else:
                sie.with_checksum = True
                checksummed = []
            continue
        sie.records.append(parsed)
        if checksummed is not None:
            checksummed.append(parsed)
        voucher = _apply_record(sie, label, values, voucher, in_block, lineno)
    if in_block:
        raise SieError("The file ends inside a voucher: '}' is missing.")
    return sie


def _apply_identification(sie, label, values, lineno):
    """Read an identification or chart record (§8) into ``sie``; say
    whether ``label`` was one."""

    def value(index, default=""):
        return values[index] if len(values) > index else default

    if label == "#PROGRAM":
        sie.program, sie.program_version = value(0), value(1)
    elif label == "#GEN":
        sie.generated, sie.generated_by = _to_date(value(0)), value(1)
    elif label == "#SIETYP":
        sie.sie_type = value(0)
    elif label == "#FNAMN":
        # Some programs leave a name with spaces unquoted: take every field.
        sie.company_name = " ".join(v for v in values if isinstance(v, str))
    elif label == "#ORGNR":
        sie.org_number = value(0)
    elif label == "#RAR":
        try:
            sie.financial_years[int(value(0))] = (
                _to_date(value(1)),
                _to_date(value(2)),
            )
        except ValueError as error:
            raise SieError(
                f"Line {lineno}: the financial year is malformed."
            ) from error
    elif label == "#KPTYP":
        sie.chart_type = value(0)
    elif label == "#KONTO":
        sie.accounts[value(0)] = value(1)
    elif label == "#DIM":
        sie.dimensions[value(0)] = value(1)
    elif label == "#OBJEKT":
        sie.objects[(value(0), value(1))] = value(2)
    else:
        return False
    return True


def _apply_record(sie, label, values, voucher, in_block, lineno):
    def value(index, default=""):
        return values[index] if len(values) > index else default

    if in_block and label not in ("#TRANS", "#RTRANS", "#BTRANS"):
        raise SieError(f"Line {lineno}: {label} inside a voucher.")
    if _apply_identification(sie, label, values, lineno):
        return voucher
    if label == "#VER":
        voucher = SieVoucher(
            series=value(0),
            number=value(1),
            date=_to_date(value(2)),
            text=value(3),
            reg_date=_to_date(value(4)),
        )
        sie.vouchers.append(voucher)
    elif label == "#TRANS":
        if not in_block or voucher is None:
            raise SieError(f"Line {lineno}: #TRANS outside a voucher.")
        objects = value(1, [])
        if not isinstance(objects, list) or len(objects) % 2:
            raise SieError(f"Line {lineno}: the object list is malformed.")
        quantity = value(5)
        try:
            voucher.transactions.append(
                SieTransaction(
                    account=value(0),
                    objects=list(zip(objects[::2], objects[1::2], strict=True)),
                    amount=Decimal(value(2)),
                    date=_to_date(value(3)),
                    text=value(4),
                    quantity=Decimal(quantity) if quantity else None,
                )
            )
        except ArithmeticError as error:
            raise SieError(f"Line {lineno}: the amount is not a number.") from error
    return voucher
