# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""ORM-free readers of sanitization (data wipe) reports.

Both readers return ``(header, erasures, errors)``: ``header`` holds the
report's document id and integrity/signature value, ``erasures`` one dict per
erased medium, ``errors`` a list of ``(row, code, params)``; a caller refuses
the whole file when ``errors`` is not empty and words each code in the user's
language.
"""

import re
from datetime import datetime, timedelta, timezone

from lxml import etree

from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.fileparse import MAX_CELL_LENGTH, read_table
from odoo.addons.municipal_it_lease.tools.serial import serial_problem

from ..models.it_wipe_certificate import CERTIFICATE_EVIDENCE

LEVELS = ("clear", "purge", "destroy")
# Longest text kept from a report (operator, method, tool, verification...):
# the shared reader's cell limit.
MAX_TEXT_LENGTH = MAX_CELL_LENGTH
# A disk's capacity in bytes: ASCII digits only, at most 10**16 (10 PB).
CAPACITY_RE = re.compile(r"^[0-9]{1,17}$")
MAX_CAPACITY_BYTES = 10**16
# An erasure before this year is not one of the municipality's devices: a
# tool's clock reset or a forged report.
FIRST_PLAUSIBLE_YEAR = 2000
# Overwriting is Clear in NIST SP 800-88 terms; cryptographic, block and
# sanitize-command erasures are Purge; shredding and the like are Destroy
# (IEEE 2883: Destruct).
LEVEL_WORDS = (
    ("destroy", ("destroy", "destruct", "shred", "disintegrat", "incinerat")),
    (
        "purge",
        ("purge", "crypto", "sanitize", "block erase", "secure erase"),
    ),
)
STATUSES = {
    "erased": "erased",
    "successful": "erased",
    "success": "erased",
    "erased with exceptions": "erased_exceptions",
    "successful with exceptions": "erased_exceptions",
    "not erased": "not_erased",
    "failed": "not_erased",
    "failure": "not_erased",
    "unsuccessful": "not_erased",
}
# A CSV export's column of each certificate field it fills: the report's id
# is its ``report_id`` column, an erasure's start and end its one
# ``timestamp``; the other columns are named as the fields.
CSV_FIELD_COLUMNS = {
    name: {
        "report_ref": "report_id",
        "date_start": "timestamp",
        "date_end": "timestamp",
    }.get(name, name)
    for name in CERTIFICATE_EVIDENCE
}
CSV_COLUMNS = tuple(dict.fromkeys(CSV_FIELD_COLUMNS.values()))
CSV_REQUIRED = ("report_id", "device_serial", "medium_serial", "level", "status")
MEDIUM_TYPES = {
    "nvme": "nvme",
    "ssd": "ssd",
    "sata ssd": "ssd",
    "hdd": "hdd",
    "sata": "hdd",
    "sas": "hdd",
    "emmc": "emmc",
    "mmc": "emmc",
    "usb": "flash",
    "flash": "flash",
}


def parse_level(value):
    """NIST level of an erasure standard name or level word, or None."""
    text = (value or "").strip().casefold()
    if not text:
        return None
    for level, words in LEVEL_WORDS:
        if any(word in text for word in words):
            return level
    if "clear" in text or "overwrite" in text or "pass" in text:
        return "clear"
    return None


def parse_status(value):
    text = " ".join((value or "").replace("_", " ").split()).casefold()
    return STATUSES.get(text)


def parse_timestamp(value):
    """A naive UTC datetime from an ISO 8601 text; None when empty; raises
    ValueError on anything else."""
    text = (value or "").strip()
    if not text:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _timestamp(value, row, label, errors):
    """The UTC time of ``value``; a row error when it is not a date and
    time, or not a plausible one (before 2000, or later than tomorrow)."""
    try:
        moment = parse_timestamp(value)
    # OverflowError: a date at the edge of the calendar moved to UTC.
    except (ValueError, OverflowError):
        errors.append((row, "bad_time", {"field": label, "value": value[:40]}))
        return None
    latest = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=1)
    if moment and not datetime(FIRST_PLAUSIBLE_YEAR, 1, 1) <= moment <= latest:
        errors.append(
            (
                row,
                "implausible_time",
                {"field": label, "value": value[:40], "year": FIRST_PLAUSIBLE_YEAR},
            )
        )
        return None
    return moment


def parse_capacity(value):
    """(capacity in GB, None) of a disk capacity in bytes, or (None, True)
    when it is not a plain number of bytes up to MAX_CAPACITY_BYTES
    ("²", other scripts' digits, 400 digits are refused, never guessed)."""
    text = (value or "").strip()
    if not text:
        return 0.0, None
    if not CAPACITY_RE.match(text) or int(text) > MAX_CAPACITY_BYTES:
        return None, True
    return round(int(text) / 1e9, 1), None


def read_csv(content, env):
    """Read a CSV export: one row per erased medium (see CSV_COLUMNS).

    The table is read by the shared strict reader (quotes, the ``;``, ``,``
    or tab separator, NUL bytes, control characters, overlong cells, cut-off
    rows, the row limit); a report is the recipient's evidence, so only
    UTF-8 text is read, never a guessed encoding."""
    if not content or not content.strip():
        return {}, [], [(0, "empty", {})]
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [], [(0, "not_utf8", {})]
    try:
        rows = read_table(content, env)
    except UserError as error:
        return {}, [], [(0, "table", {"message": _table_message(error, env)})]
    header_row, header = rows[0]
    names = [" ".join(name.split()).casefold().replace(" ", "_") for name in header]
    missing = [name for name in CSV_REQUIRED if name not in names]
    if missing:
        return (
            {},
            [],
            [(header_row, "missing_columns", {"columns": ", ".join(missing)})],
        )
    index = {name: names.index(name) for name in CSV_COLUMNS if name in names}
    errors = []
    erasures = [
        _read_csv_erasure(
            {
                name: values[pos] if pos < len(values) else ""
                for name, pos in index.items()
            },
            row,
            errors,
            env,
        )
        for row, values in rows[1:]
    ]
    if not erasures and not errors:
        errors.append((0, "no_rows", {}))
    return {}, erasures, errors


def _read_csv_erasure(record, row, errors, env):
    """The certificate values of the CSV row ``row`` ({column: text}); its
    problems are added to ``errors``."""
    for name in CSV_REQUIRED:
        if not record.get(name):
            errors.append((row, "empty_value", {"field": name}))
    for name in ("device_serial", "medium_serial"):
        _check_serial(record.get(name), name, row, errors, env)
    level = parse_level(record.get("level"))
    if record.get("level") and not level:
        errors.append((row, "bad_level", {"value": record["level"]}))
    status = parse_status(record.get("status"))
    if record.get("status") and not status:
        errors.append((row, "bad_status", {"value": record["status"]}))
    moment = _timestamp(record.get("timestamp"), row, "timestamp", errors)
    return {
        "row": row,
        **{name: record.get(column) for name, column in CSV_FIELD_COLUMNS.items()},
        "method": record.get("method") or record.get("level"),
        "level": level,
        "status": status,
        "date_start": moment,
        "date_end": moment,
    }


def _table_message(error, env):
    """The shared reader's refusal without its own title line: the import
    words its own ("Nothing was imported from ...")."""
    lines = str(error.args[0]).split("\n")
    if len(lines) > 1 and lines[0] == env._("The file was not imported:"):
        lines = lines[1:]
    return "\n".join(lines)


def _check_serial(serial, field, row, errors, env):
    """A serial that cannot be stored (the register's one rule) is a row
    error; an empty one is reported as empty by the caller."""
    if serial:
        problem = serial_problem(serial, env)
        if problem:
            errors.append((row, "bad_serial", {"field": field, "problem": problem}))


def _check_text(value, field, row, errors):
    """Text longer than a person or a tool writes is a broken file."""
    if value and len(value) > MAX_TEXT_LENGTH:
        errors.append(
            (
                row,
                "too_long",
                {"column": field, "max": MAX_TEXT_LENGTH, "length": len(value)},
            )
        )
        return ""
    return value


def _entry(node, name):
    found = node.find(f"entry[@name='{name}']")
    return (found.text or "").strip() if found is not None else ""


def read_xml(content, env):
    """Read a Blancco-style XML report: one report (document id, integrity
    or signature value), a hardware section with the system serial and its
    disks, and n erasures. Serials, capacities, texts and times that cannot
    be stored truthfully are errors, never guessed."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as error:
        return {}, [], [(0, "bad_xml", {"error": str(error)[:200]})]
    errors = []
    header = _read_xml_header(root, errors, env)
    disks = _read_xml_disks(root, errors, env)
    erasures = []
    for row, erasure in enumerate(
        root.iterfind(".//blancco_erasure_report//entries[@name='erasure']"), start=1
    ):
        erasures.append(_read_xml_erasure(erasure, row, header, disks, errors, env))
    if not erasures and not errors:
        errors.append((0, "no_rows", {}))
    return (
        {"document_id": header["document_id"], "signature": header["signature"]},
        erasures,
        errors,
    )


def _read_xml_header(root, errors, env):
    """The report's document id, signature, tool, operator and system
    serial (row 0 errors when they are missing or overlong)."""
    header = {
        "document_id": (root.findtext(".//description/document_id") or "").strip(),
        "signature": (
            root.findtext(".//description//integrity")
            or root.findtext(".//signature")
            or ""
        ).strip(),
        "tool": (root.findtext(".//product_name") or "").strip(),
        "tool_version": (root.findtext(".//product_version") or "").strip(),
        "operator": "",
    }
    for node in root.iterfind(".//description//entry"):
        if node.get("name") in ("operator", "technician", "erasure_operator"):
            header["operator"] = (node.text or "").strip()
            break
    for name in ("document_id", "tool", "tool_version", "operator"):
        header[name] = _check_text(header[name], name, 0, errors)
    if not header["document_id"]:
        errors.append((0, "no_document_id", {}))
    system = root.find(".//blancco_hardware_report/entries[@name='system']")
    header["device_serial"] = _entry(system, "serial") if system is not None else ""
    if not header["device_serial"]:
        errors.append((0, "no_system_serial", {}))
    _check_serial(header["device_serial"], "system serial", 0, errors, env)
    return header


def _read_xml_disks(root, errors, env):
    """The hardware section's disks by serial: type, capacity and model."""
    disks = {}
    for disk in root.iterfind(".//blancco_hardware_report//entries[@name='disk']"):
        serial = _entry(disk, "serial")
        if not serial:
            continue
        _check_serial(serial, "disk serial", 0, errors, env)
        capacity = _entry(disk, "capacity")
        capacity_gb, bad = parse_capacity(capacity)
        if bad:
            errors.append(
                (
                    0,
                    "bad_capacity",
                    {"serial": serial[:40], "value": capacity[:40]},
                )
            )
        disks[serial] = {
            "medium_type": MEDIUM_TYPES.get(
                _entry(disk, "interface_type").casefold(), "other"
            ),
            "capacity_gb": capacity_gb or 0.0,
            "model": _check_text(_entry(disk, "model"), "model", 0, errors),
        }
    return disks


def _read_xml_erasure(erasure, row, header, disks, errors, env):
    """The certificate values of one erasure element."""
    target = erasure.find("entries[@name='target']")
    serial = _entry(target if target is not None else erasure, "serial")
    standard = _check_text(
        _entry(erasure, "erasure_standard_name"), "erasure_standard_name", row, errors
    )
    state = _entry(erasure, "state")
    if not serial:
        errors.append((row, "empty_value", {"field": "serial"}))
    _check_serial(serial, "serial", row, errors, env)
    level = parse_level(standard)
    if not level:
        errors.append((row, "bad_level", {"value": standard[:40]}))
    status = parse_status(state)
    if not status:
        errors.append((row, "bad_status", {"value": state[:40]}))
    return {
        "row": row,
        "report_ref": header["document_id"],
        "device_serial": header["device_serial"],
        "medium_serial": serial,
        "method": standard,
        "level": level,
        "tool": header["tool"],
        "tool_version": header["tool_version"],
        "status": status,
        "operator": header["operator"],
        "date_start": _timestamp(
            _entry(erasure, "start_time"), row, "start_time", errors
        ),
        "date_end": _timestamp(_entry(erasure, "end_time"), row, "end_time", errors),
        "verification": _check_text(
            _entry(erasure, "verification"), "verification", row, errors
        ),
        **disks.get(serial, {}),
    }
