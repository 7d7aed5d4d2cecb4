# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Turn a lessor's e-invoice into the specification the reconciliation
reads: a table (header row first, as ``read_table`` gives a file) of one
row per invoice line, or the specification attached to the invoice."""

from odoo.addons.municipal_it_lease.tools.fileparse import (
    check_rows,
    parse_month,
    raise_errors,
)
from odoo.addons.municipal_it_lease.tools.spreadsheet import normalize_header

from .ubl import ATTACHMENT_MIMETYPES


class SpecificationTable:
    """Rows already read, (row number, [cell text]), header row first: what
    ``_read_specification_table`` gives back as it is."""

    __slots__ = ("rows",)

    def __init__(self, rows):
        self.rows = rows


class EInvoiceBundle:
    """The e-invoices (bill and credit notes) of one lessor and month, each
    a (Document, specification content) pair, to reconcile as one."""

    __slots__ = ("parts",)

    def __init__(self, parts):
        self.parts = parts


def _names(value):
    return {normalize_header(name) for name in (value or "").split("|") if name.strip()}


def attached_specification(document):
    """(filename, content) of the first CSV or XLSX file embedded in the
    document (BT-125), or (None, None)."""
    for filename, mimetype, content in document.attachments:
        lowered = (filename or "").lower()
        if mimetype in ATTACHMENT_MIMETYPES or lowered.endswith((".csv", ".xlsx")):
            return filename, content
    return None, None


def guess_serial_source(document, lessor):
    """Where ``document`` carries its serial numbers, when the lessor has
    not said: on every line as invoiced object identifier, else as an item
    attribute named as the lessor's serial column, else in an attached
    specification, else as the seller's item identifier; None if nowhere."""
    lines = document.lines
    if all(line.object_id for line in lines):
        return "object_id"
    serial_names = _names(lessor.it_spec_serial_column)
    if all(
        any(normalize_header(name) in serial_names for name, _v in line.properties)
        for line in lines
    ):
        return "item_property"
    if attached_specification(document)[0] is not None:
        return "attachment"
    if all(line.sellers_item_id for line in lines):
        return "sellers_item_id"
    return None


def document_month(document, env):
    """The month an e-invoice is reconciled in: the latest month its lines
    (or, for lines without, the invoice) are for; None when none is said."""
    months = set()
    for text in {line.period or document.period for line in document.lines}:
        month, _problem = parse_month(text, env)
        if month:
            months.add(month)
    return max(months) if months else None


def line_table(document, lessor, source, env):
    """The lines of ``document`` as a specification table in the lessor's
    own column names, serial numbers read from ``source``. Refuses (named)
    lines with the same line ID, a line that carries no serial number there,
    that bills more than one unit, or that has no period or annex."""
    _ = env._
    columns = lessor._get_it_spec_columns()
    header = [columns[key][1][0] for key in ("schedule", "serial", "period", "amount")]
    serial_names = _names(lessor.it_spec_serial_column)
    schedule_names = _names(lessor.it_spec_schedule_column)
    scheme = (lessor.it_einvoice_object_scheme or "").strip()
    default_schedule = document.contract_ref or document.order_ref
    errors, ids = [], {}
    rows = [(0, header)]
    append = rows.append
    for line in document.lines:
        problems = []
        if line.line_id in ids:
            problems.append(
                _(
                    "line ID %(id)s is used twice (also line %(other)s)",
                    id=line.line_id,
                    other=ids[line.line_id],
                )
            )
        else:
            ids[line.line_id] = line.number
        serial = ""
        if source == "object_id":
            if not scheme or line.object_scheme == scheme:
                serial = line.object_id
        elif source == "sellers_item_id":
            serial = line.sellers_item_id
        else:
            serial = next(
                (
                    value
                    for name, value in line.properties
                    if normalize_header(name) in serial_names
                ),
                "",
            )
        if not serial:
            problems.append(_("no serial number where the lessor carries it"))
        schedule = (
            next(
                (
                    value
                    for name, value in line.properties
                    if normalize_header(name) in schedule_names
                ),
                "",
            )
            or default_schedule
        )
        if not schedule:
            problems.append(
                _(
                    "no annex: neither the line (attribute %(name)s) nor the "
                    "invoice (contract reference BT-12, order reference BT-13) "
                    "names it",
                    name=header[0],
                )
            )
        period = line.period or document.period
        if not period:
            problems.append(_("no invoiced period (BT-134) on the line or the invoice"))
        try:
            quantity = float(line.quantity or 1)
        except ValueError:
            quantity = None
        if quantity is None or abs(quantity) != 1:
            problems.append(
                _(
                    "quantity %(quantity)s: a line bills one device",
                    quantity=line.quantity,
                )
            )
        if problems:
            errors.append(
                _(
                    "Line %(number)s (ID %(id)s): %(problems)s.",
                    number=line.number,
                    id=line.line_id,
                    problems="; ".join(problems),
                )
            )
            continue
        append((line.number, [schedule, serial, period, line.amount]))
    raise_errors(env, errors, _("The invoice lines were not read:"))
    return SpecificationTable(check_rows(rows, env))
