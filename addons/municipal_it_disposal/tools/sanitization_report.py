# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""ORM-free readers of sanitization (data wipe) reports.

Both readers return ``(header, erasures, errors)``: ``header`` holds the
report's document id and integrity/signature value, ``erasures`` one dict per
erased medium, ``errors`` a list of ``(row, code, params)``; a caller refuses
the whole file when ``errors`` is not empty and words each code in the user's
language.
"""

import csv
import io
from datetime import datetime, timezone

from lxml import etree

from odoo.addons.municipal_it_lease.tools.fileparse import (
    MAX_CELL_LENGTH,
    control_character,
)

LEVELS = ("clear", "purge", "destroy")
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
CSV_COLUMNS = (
    "report_id",
    "device_serial",
    "medium_serial",
    "method",
    "level",
    "tool",
    "tool_version",
    "status",
    "operator",
    "timestamp",
    "verification",
)
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
    try:
        return parse_timestamp(value)
    # OverflowError: a date at the edge of the calendar moved to UTC.
    except (ValueError, OverflowError):
        errors.append((row, "bad_time", {"field": label, "value": value}))
        return None


def read_csv(content):
    """Read a CSV export: one row per erased medium (see CSV_COLUMNS)."""
    errors = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [], [(0, "not_utf8", {})]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        # An unclosed quote swallowing the rest of the file, for one.
        return {}, [], [(reader.line_num, "bad_csv", {"error": str(error)})]
    if not rows or not rows[0]:
        return {}, [], [(0, "empty", {})]
    header = rows[0]
    names = [" ".join(name.split()).casefold().replace(" ", "_") for name in header]
    missing = [name for name in CSV_REQUIRED if name not in names]
    if missing:
        return {}, [], [(1, "missing_columns", {"columns": ", ".join(missing)})]
    index = {name: names.index(name) for name in CSV_COLUMNS if name in names}
    erasures = []
    for row, values in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        bad_cell = _bad_cell(values, header)
        if bad_cell:
            errors.append((row, *bad_cell))
            continue
        if len(values) < len(names):
            values = values + [""] * (len(names) - len(values))
        record = {name: values[pos].strip() for name, pos in index.items()}
        for name in CSV_REQUIRED:
            if not record.get(name):
                errors.append((row, "empty_value", {"field": name}))
        level = parse_level(record.get("level"))
        if record.get("level") and not level:
            errors.append((row, "bad_level", {"value": record["level"]}))
        status = parse_status(record.get("status"))
        if record.get("status") and not status:
            errors.append((row, "bad_status", {"value": record["status"]}))
        moment = _timestamp(record.get("timestamp"), row, "timestamp", errors)
        erasures.append(
            {
                "row": row,
                "report_ref": record.get("report_id"),
                "device_serial": record.get("device_serial"),
                "medium_serial": record.get("medium_serial"),
                "method": record.get("method") or record.get("level"),
                "level": level,
                "tool": record.get("tool"),
                "tool_version": record.get("tool_version"),
                "status": status,
                "operator": record.get("operator"),
                "date_start": moment,
                "date_end": moment,
                "verification": record.get("verification"),
            }
        )
    if not erasures and not errors:
        errors.append((0, "no_rows", {}))
    return {}, erasures, errors


def _bad_cell(values, header):
    """(code, params) of the first cell of a CSV row that is not text a
    tool wrote: a control character (binary data, a NUL byte) or an
    overlong value; None for the usual row."""
    for position, value in enumerate(values):
        char = control_character(value)
        if char or len(value) > MAX_CELL_LENGTH:
            column = header[position] if position < len(header) else str(position + 1)
            if char:
                return "control_character", {"column": column, "char": char}
            return "too_long", {"column": column, "max": MAX_CELL_LENGTH}
    return None


def _entry(node, name):
    found = node.find(f"entry[@name='{name}']")
    return (found.text or "").strip() if found is not None else ""


def read_xml(content):
    """Read a Blancco-style XML report: one report (document id, integrity
    or signature value), a hardware section with the system serial and its
    disks, and n erasures."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as error:
        return {}, [], [(0, "bad_xml", {"error": str(error)})]
    document_id = (root.findtext(".//description/document_id") or "").strip()
    signature = (
        root.findtext(".//description//integrity")
        or root.findtext(".//signature")
        or ""
    ).strip()
    tool = (root.findtext(".//product_name") or "").strip()
    tool_version = (root.findtext(".//product_version") or "").strip()
    errors = []
    if not document_id:
        errors.append((0, "no_document_id", {}))
    system = root.find(".//blancco_hardware_report/entries[@name='system']")
    device_serial = _entry(system, "serial") if system is not None else ""
    if not device_serial:
        errors.append((0, "no_system_serial", {}))
    operator = ""
    for node in root.iterfind(".//description//entry"):
        if node.get("name") in ("operator", "technician", "erasure_operator"):
            operator = (node.text or "").strip()
            break
    disks = {}
    for disk in root.iterfind(".//blancco_hardware_report//entries[@name='disk']"):
        serial = _entry(disk, "serial")
        if serial:
            capacity = _entry(disk, "capacity")
            disks[serial] = {
                "medium_type": MEDIUM_TYPES.get(
                    _entry(disk, "interface_type").casefold(), "other"
                ),
                "capacity_gb": (
                    round(int(capacity) / 1e9, 1) if capacity.isdigit() else 0.0
                ),
                "model": _entry(disk, "model"),
            }
    erasures = []
    for row, erasure in enumerate(
        root.iterfind(".//blancco_erasure_report//entries[@name='erasure']"), start=1
    ):
        target = erasure.find("entries[@name='target']")
        serial = _entry(target if target is not None else erasure, "serial")
        standard = _entry(erasure, "erasure_standard_name")
        state = _entry(erasure, "state")
        if not serial:
            errors.append((row, "empty_value", {"field": "serial"}))
        level = parse_level(standard)
        if not level:
            errors.append((row, "bad_level", {"value": standard}))
        status = parse_status(state)
        if not status:
            errors.append((row, "bad_status", {"value": state}))
        erasures.append(
            {
                "row": row,
                "report_ref": document_id,
                "device_serial": device_serial,
                "medium_serial": serial,
                "method": standard,
                "level": level,
                "tool": tool,
                "tool_version": tool_version,
                "status": status,
                "operator": operator,
                "date_start": _timestamp(
                    _entry(erasure, "start_time"), row, "start_time", errors
                ),
                "date_end": _timestamp(
                    _entry(erasure, "end_time"), row, "end_time", errors
                ),
                "verification": _entry(erasure, "verification"),
                **disks.get(serial, {}),
            }
        )
    if not erasures and not errors:
        errors.append((0, "no_rows", {}))
    return (
        {"document_id": document_id, "signature": signature},
        erasures,
        errors,
    )
