# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Turn a lessor's e-invoice into the specification the reconciliation
reads: a table (header row first, as ``read_table`` gives a file) of one
row per invoice line, or the specification attached to the invoice."""

from itertools import chain

from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.fileparse import (
    check_rows,
    parse_month,
    raise_errors,
)
from odoo.addons.municipal_it_lease.tools.spreadsheet import normalize_header

from .ubl import ATTACHMENT_MIMETYPES, item_properties, normalize_identifier


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


class _NameMatcher:
    """The value of the first item attribute (BT-160/161) of a line whose
    name is one of the lessor's names for a column. A month's lines repeat
    the same few attributes: each distinct name, and each distinct text of a
    line's attributes (``Lines.properties``), is read once."""

    __slots__ = ("cache", "names", "values")

    def __init__(self, names):
        self.names = _names(names)
        self.cache = {}
        self.values = {}

    def matches(self, name):
        found = self.cache.get(name)
        if found is None:
            found = self.cache[name] = normalize_header(name) in self.names
        return found

    def __call__(self, properties):
        found = self.values.get(properties)
        if found is None:
            found = self.values[properties] = next(
                (
                    value
                    for name, value in item_properties(properties)
                    if self.matches(name)
                ),
                "",
            )
        return found

    def named(self, properties):
        """Whether the attributes ``properties`` have one of the names."""
        return any(self.matches(name) for name, _value in item_properties(properties))


def _identifiers(partner):
    found = set()
    for value in (partner.vat, partner.company_registry, partner.peppol_endpoint):
        found |= normalize_identifier(value)
    return found


def check_parties(document, company, lessor, env):
    """Refuse (named) an e-invoice addressed to another buyer than
    ``company`` or sent by another seller than ``lessor``: compared by
    their identifiers, when both sides give some."""
    expected = _identifiers(company.partner_id)
    if document.buyer_ids and expected and not document.buyer_ids & expected:
        raise UserError(
            env._(
                "E-invoice %(number)s is addressed to %(buyer)s (%(ids)s), not "
                "to %(company)s.",
                number=document.number,
                buyer=document.buyer_name,
                ids=", ".join(sorted(document.buyer_ids)),
                company=company.name,
            )
        )
    expected = _identifiers(lessor)
    if document.seller_ids and expected and not document.seller_ids & expected:
        raise UserError(
            env._(
                "E-invoice %(number)s is from %(seller)s (%(ids)s), not from "
                "the lessor %(lessor)s.",
                number=document.number,
                seller=document.seller_name,
                ids=", ".join(sorted(document.seller_ids)),
                lessor=lessor.name,
            )
        )


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
    if all(lines.object_ids):
        return "object_id"
    serial = _NameMatcher(lessor.it_spec_serial_column)
    if all(map(serial.named, set(lines.properties))):
        return "item_property"
    if attached_specification(document)[0] is not None:
        return "attachment"
    if all(lines.sellers_item_ids):
        return "sellers_item_id"
    return None


def document_month(document, env):
    """The month an e-invoice is reconciled in: the latest month its lines
    (or, for lines without, the invoice) are for; None when none is said."""
    months = set()
    for text in {period or document.period for period in set(document.lines.periods)}:
        month, _problem = parse_month(text, env)
        if month:
            months.add(month)
    return max(months) if months else None


def _serials(lines, source, lessor):
    """The serial number of each of the ``lines``, read from ``source``."""
    if source == "object_id":
        scheme = (lessor.it_einvoice_object_scheme or "").strip()
        if not scheme:
            return lines.object_ids
        return [
            object_id if object_scheme == scheme else ""
            for object_id, object_scheme in zip(
                lines.object_ids, lines.object_schemes, strict=True
            )
        ]
    if source == "sellers_item_id":
        return lines.sellers_item_ids
    return list(map(_NameMatcher(lessor.it_spec_serial_column), lines.properties))


def serial_source(document, lessor, source, env):
    """Where ``document`` carries its serial numbers: ``source``, else the
    lessor's setting, else where they are found on every line; refused
    (named) when nowhere."""
    source = source or lessor.it_einvoice_serial_source
    if source == "auto":
        source = guess_serial_source(document, lessor)
    if not source:
        raise UserError(
            env._(
                "E-invoice %(number)s: no serial number found on every line "
                "(object identifier BT-128, item attribute named %(names)s, "
                "seller's item identifier) and no attached specification. "
                "Set where %(lessor)s puts it on the lessor's E-Invoice "
                "settings.",
                number=document.number,
                names=lessor.it_spec_serial_column,
                lessor=lessor.name,
            )
        )
    return source


def reconciliation_month(document, env):
    """The month ``document`` is reconciled in: its lines' (document_month),
    else, for an attached specification, the invoice's period, else its
    issue date; refused (named) when it says none."""
    month = document_month(document, env)
    if not month:
        month = parse_month(document.issue_date, env)[0]
    if not month:
        raise UserError(
            env._(
                "E-invoice %(number)s says no invoiced period (BT-134) and no "
                "issue date: the month to reconcile is unknown.",
                number=document.number,
            )
        )
    return month


def check_document_kind(document, move, env):
    """Refuse an invoice received on a credit note ``move``, or a credit
    note on a bill."""
    if document.is_credit_note == (move.move_type == "in_refund"):
        return
    if document.is_credit_note:
        message = env._(
            "E-invoice %(number)s is a credit note but %(move)s is not.",
            number=document.number,
            move=move.display_name,
        )
    else:
        message = env._(
            "E-invoice %(number)s is an invoice but %(move)s is a credit note.",
            number=document.number,
            move=move.display_name,
        )
    raise UserError(message)


def line_table(document, lessor, source, env):
    """The lines of ``document`` as a specification table in the lessor's
    own column names, serial numbers read from ``source``. Refuses (named)
    lines with the same line ID, a line that carries no serial number there,
    that bills more than one unit, or that has no period or annex."""
    columns = lessor._get_it_spec_columns()
    header = [columns[key][1][0] for key in ("schedule", "serial", "period", "amount")]
    lines = document.lines
    serials = _serials(lines, source, lessor)
    schedule_of = _NameMatcher(lessor.it_spec_schedule_column)
    default_schedule = document.contract_ref or document.order_ref
    schedules = [
        schedule_of(properties) or default_schedule for properties in lines.properties
    ]
    periods = lines.periods
    if document.period:
        periods = [period or document.period for period in periods]
    # A month's invoice says "1" (or "1.00", "-1") again and again: each
    # distinct quantity is read once.
    single = {quantity: _bills_one_unit(quantity) for quantity in set(lines.quantities)}
    if not (
        all(serials)
        and all(schedules)
        and all(periods)
        and all(single.values())
        and len(set(lines.line_ids)) == len(lines)
    ):
        errors = _line_errors(lines, serials, schedules, periods, single, header, env)
        raise_errors(env, errors, env._("The invoice lines were not read:"))
    # Each line is a row of the table, numbered as the line: handed to the
    # check of every specification's rows as a file's would be.
    rows = enumerate(zip(schedules, serials, periods, lines.amounts, strict=True), 1)
    return SpecificationTable(check_rows(chain([(0, header)], rows), env))


def _line_errors(lines, serials, schedules, periods, single, header, env):
    """The refusal of each line of ``lines`` that cannot be read: a line ID
    used twice, or no serial number, annex, period or single unit."""
    errors, ids = [], {}
    for number, (line_id, quantity, serial, schedule, period) in enumerate(
        zip(lines.line_ids, lines.quantities, serials, schedules, periods, strict=True),
        1,
    ):
        if line_id in ids or not (serial and schedule and period and single[quantity]):
            errors.append(
                _line_error(
                    number,
                    line_id,
                    quantity,
                    ids,
                    (serial, schedule, period, single[quantity]),
                    header,
                    env,
                )
            )
            continue
        ids[line_id] = number
    return errors


def _bills_one_unit(quantity):
    try:
        return abs(float(quantity or 1)) == 1
    except ValueError:
        return False


def _line_error(number, line_id, quantity, ids, read, header, env):
    """The refusal of invoice line ``number``, naming each of its problems
    (``read``: its serial number, annex, period and whether it bills one
    unit)."""
    _ = env._
    serial, schedule, period, single = read
    problems = []
    if line_id in ids:
        problems.append(
            _(
                "line ID %(id)s is used twice (also line %(other)s)",
                id=line_id,
                other=ids[line_id],
            )
        )
    else:
        ids[line_id] = number
    if not serial:
        problems.append(_("no serial number where the lessor carries it"))
    if not schedule:
        problems.append(
            _(
                "no annex: neither the line (attribute %(name)s) nor the "
                "invoice (contract reference BT-12, order reference BT-13) "
                "names it",
                name=header[0],
            )
        )
    if not period:
        problems.append(_("no invoiced period (BT-134) on the line or the invoice"))
    if not single:
        problems.append(
            _(
                "quantity %(quantity)s: a line bills one device",
                quantity=quantity,
            )
        )
    return _(
        "Line %(number)s (ID %(id)s): %(problems)s.",
        number=number,
        id=line_id,
        problems="; ".join(problems),
    )
