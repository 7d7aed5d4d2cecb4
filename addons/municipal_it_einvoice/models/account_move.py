# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import functools
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools import bulk
from odoo.addons.municipal_it_lease.tools.access import (
    BILLING,
    IT_MANAGER,
    check_groups,
)
from odoo.addons.municipal_it_lease.tools.chatter import log_note
from odoo.addons.municipal_it_lease.tools.fileparse import parse_amount

from ..tools.einvoice import (
    EInvoiceBundle,
    attached_specification,
    check_document_kind,
    check_parties,
    line_table,
    reconciliation_month,
    serial_source,
)
from ..tools.ubl import (
    NS_CREDIT_NOTE,
    NS_INVOICE,
    SERIAL_SOURCES,
    read_document,
)

_logger = logging.getLogger(__name__)

MAX_DOCUMENT_MB = 200
UBL_ROOTS = {f"{{{NS_INVOICE}}}Invoice", f"{{{NS_CREDIT_NOTE}}}CreditNote"}
# Reconciliation states in which its discrepancies no longer hold the bill:
# agreed with the lessor, or disputed with it (the portal's dispute flow).
RELEASED_STATES = ("accepted", "disputed")
CLASS_AMOUNT_FIELDS = {
    "matched": "it_matched_amount",
    "amount_differs": "it_amount_differs_amount",
    "not_in_register": "it_not_in_register_amount",
    "not_invoiced": "it_not_invoiced_amount",
    "after_end": "it_after_end_amount",
}


def _parsed_attachment(file_data):
    """(content, root) of the XML Odoo's import has parsed when it is the
    attachment itself (not a file embedded in a PDF), else None."""
    attachment = file_data.get("attachment")
    content = file_data.get("content")
    if (
        attachment
        and isinstance(content, bytes)
        and "xml" in (attachment.mimetype or "")
        and attachment.file_size == len(content)
    ):
        return content, file_data["xml_tree"]
    return None


class AccountMove(models.Model):
    _inherit = "account.move"

    it_reconciliation_id = fields.Many2one(
        comodel_name="it.lease.reconciliation",
        string="Lease Reconciliation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The month's reconciliation of the lessor's e-invoice, serial by serial.",
    )
    it_einvoice_attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Lessor E-Invoice",
        readonly=True,
        copy=False,
    )
    it_einvoice_serial_source = fields.Selection(
        selection=[source for source in SERIAL_SOURCES if source[0] != "auto"],
        string="Serial Numbers Read From",
        readonly=True,
        copy=False,
        help="Where the serial numbers of this e-invoice were found: the "
        "e-invoice is read the same way when its month is reconciled again.",
    )
    it_einvoice_error = fields.Text(
        string="E-Invoice Refused",
        readonly=True,
        copy=False,
        help="Why the lessor's e-invoice could not be reconciled.",
    )
    it_reconciliation_state = fields.Selection(
        related="it_reconciliation_id.state", string="Reconciliation Status"
    )
    it_einvoice_hold = fields.Boolean(
        string="Held by Reconciliation",
        compute="_compute_it_einvoice_amounts",
        help="The lessor's e-invoice has discrepancies not yet accepted, disputed "
        "or corrected by a credit note, or it could not be reconciled: the "
        "bill is not paid until then.",
    )
    it_discrepancy_count = fields.Integer(
        string="Discrepancies", compute="_compute_it_einvoice_amounts"
    )
    it_matched_amount = fields.Monetary(
        string="Matched",
        compute="_compute_it_einvoice_amounts",
        currency_field="company_currency_id",
    )
    it_amount_differs_amount = fields.Monetary(
        string="Amount Differs",
        compute="_compute_it_einvoice_amounts",
        currency_field="company_currency_id",
        help="Invoiced for the devices whose amount differs from the register's.",
    )
    it_not_in_register_amount = fields.Monetary(
        string="Not in Register",
        compute="_compute_it_einvoice_amounts",
        currency_field="company_currency_id",
    )
    it_not_invoiced_amount = fields.Monetary(
        string="Not Invoiced",
        compute="_compute_it_einvoice_amounts",
        currency_field="company_currency_id",
        help="Expected by the register for the leased devices the lessor did not "
        "invoice.",
    )
    it_after_end_amount = fields.Monetary(
        string="After Return",
        compute="_compute_it_einvoice_amounts",
        currency_field="company_currency_id",
    )
    it_discrepancy_amount = fields.Monetary(
        string="Overcharged",
        compute="_compute_it_einvoice_amounts",
        currency_field="company_currency_id",
        help="Invoiced less expected, over the lines that are not matched.",
    )

    @api.depends(
        "move_type", "it_einvoice_error", "it_reconciliation_id.state", "state"
    )
    def _compute_it_einvoice_amounts(self):
        # What the bill shows of its reconciliation: read as the system, a
        # bill's reader may not read reconciliations.
        reconciliations = self.it_reconciliation_id.sudo()
        groups = (
            self.env["it.lease.reconciliation.line"]
            .sudo()
            ._read_group(
                [("reconciliation_id", "in", reconciliations.ids)],
                groupby=["reconciliation_id", "status"],
                aggregates=["__count", "invoiced_amount:sum", "difference:sum"],
            )
        )
        per = {}
        for reconciliation, status, count, invoiced, difference in groups:
            per[(reconciliation.id, status)] = (count, invoiced, difference)
        for move in self:
            reconciliation = move.it_reconciliation_id.sudo()
            count = overcharged = 0
            for status, name in CLASS_AMOUNT_FIELDS.items():
                lines, invoiced, difference = per.get(
                    (reconciliation.id, status), (0, 0.0, 0.0)
                )
                # Not invoiced: what the register expected for them.
                move[name] = -difference if status == "not_invoiced" else invoiced
                if status != "matched":
                    count += lines
                    overcharged += difference
            move.it_discrepancy_count = count
            move.it_discrepancy_amount = overcharged
            move.it_einvoice_hold = move.move_type == "in_invoice" and bool(
                move.it_einvoice_error
                or (
                    reconciliation
                    and reconciliation.state not in RELEASED_STATES
                    and count
                )
            )

    # Import

    def _get_edi_decoder(self, file_data, new=False):
        """Odoo's own UBL import, then the lessor's e-invoice reconciled: the
        common entry point of an upload, the mail alias and Peppol."""
        decoder = super()._get_edi_decoder(file_data, new=new)
        if (
            decoder is None
            or file_data.get("type") != "xml"
            or getattr(decoder, "__name__", "") != "_import_invoice_ubl_cii"
            or file_data["xml_tree"].tag not in UBL_ROOTS
        ):
            return decoder

        @functools.wraps(decoder)
        def decode_and_reconcile(invoice, file_data, new=False):
            result = decoder(invoice, file_data, new)
            if result:
                invoice._it_einvoice_received(
                    file_data.get("attachment"), _parsed_attachment(file_data)
                )
            return result

        return decode_and_reconcile

    def _it_is_lessor_bill(self):
        self.ensure_one()
        lessor = self.partner_id.commercial_partner_id
        return bool(
            self.move_type in ("in_invoice", "in_refund")
            and lessor
            and self.env["it.lease.schedule"]
            .sudo()
            .search_count(
                [
                    ("lessor_id", "=", lessor.id),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )

    def _it_einvoice_received(self, attachment, parsed=None):
        """Keep the lessor's e-invoice ``attachment`` of this bill and
        reconcile it. A refused e-invoice leaves the bill (Odoo's import) as
        it is, says why on the bill and holds it; nothing of the refused
        reconciliation is written. ``parsed``: (content, root) of the
        attachment as Odoo's import has just parsed it, read again as it is."""
        self.ensure_one()
        if not attachment or not self._it_is_lessor_bill():
            return
        self.it_einvoice_attachment_id = attachment
        self._it_einvoice_reconcile_or_hold(parsed)

    def _it_einvoice_reconcile_or_hold(self, parsed=None):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                reconciliation = self._it_einvoice_reconcile(parsed)
        except UserError as error:
            self.it_einvoice_error = error.args[0]
            self.message_post(
                body=Markup("<p>%s</p><pre>%s</pre>")
                % (
                    self.env._(
                        "The lessor's e-invoice was not reconciled; the bill is held "
                        "until it is:"
                    ),
                    error.args[0],
                )
            )
            return False
        self.it_einvoice_error = False
        log_note(
            self,
            body=self.env._(
                "E-invoice reconciled in %(name)s: %(matched)s matched, "
                "%(discrepancies)s discrepancies.",
                name=reconciliation.name,
                matched=reconciliation.matched_count,
                discrepancies=reconciliation.discrepancy_count,
            ),
        )
        return reconciliation

    def action_it_einvoice_reconcile(self):
        """Reconcile the lessor's e-invoice of the bill again (after the
        lessor's settings are corrected): a refusal is shown as it is."""
        check_groups(
            self, self.env._("reconcile a lessor's e-invoice"), IT_MANAGER, BILLING
        )
        for move in self:
            if not move.it_einvoice_attachment_id:
                raise UserError(
                    self.env._(
                        "%(move)s has no lessor e-invoice to reconcile.",
                        move=move.display_name,
                    )
                )
            move._it_einvoice_reconcile()
            move.it_einvoice_error = False
        return True

    def _it_einvoice_document(self, parsed=None):
        """The Document of this move's e-invoice, read from ``parsed``
        (content, root) when given, else from its attachment."""
        self.ensure_one()
        max_mb = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("municipal_it_einvoice.max_document_mb", MAX_DOCUMENT_MB)
        )
        content, root = parsed or (
            self.it_einvoice_attachment_id.sudo().raw or b"",
            None,
        )
        return read_document(content, self.env, int(max_mb * 2**20), root=root)

    def _it_einvoice_read(self, lessor, source=None, parsed=None):
        """(Document, specification, serial source) of this move's e-invoice,
        checked against ``lessor``, the move's company and the lessor's
        schedules; its serial numbers read from ``source``, else where the
        lessor says, else where they are found."""
        document = self._it_einvoice_document(parsed)
        check_parties(document, self.company_id, lessor, self.env)
        self._it_check_einvoice_currency(document, lessor)
        source = serial_source(document, lessor, source, self.env)
        if source != "attachment":
            return document, line_table(document, lessor, source, self.env), source
        filename, content = attached_specification(document)
        if filename is None:
            raise UserError(
                self.env._(
                    "E-invoice %(number)s has no attached CSV or XLSX specification "
                    "(BT-125), where %(lessor)s is set to carry its serial numbers.",
                    number=document.number,
                    lessor=lessor.name,
                )
            )
        return document, content, source

    def _it_check_einvoice_currency(self, document, lessor):
        currencies = (
            self.env["it.lease.schedule"]
            .sudo()
            .search(
                [("lessor_id", "=", lessor.id), ("company_id", "=", self.company_id.id)]
            )
            .currency_id
        )
        if document.currency not in currencies.mapped("name"):
            raise UserError(
                self.env._(
                    "E-invoice %(number)s is in %(currency)s; the schedules of "
                    "%(lessor)s are in %(expected)s.",
                    number=document.number,
                    currency=document.currency or "-",
                    lessor=lessor.name,
                    expected=", ".join(currencies.mapped("name")) or "-",
                )
            )

    def _it_einvoice_reconcile(self, parsed=None):
        """Create or refresh (the Replace rule of the specification import)
        the month's reconciliation of the lessor from this move's e-invoice
        and the other e-invoices already reconciled in it (a credit note and
        its bill are reconciled together). ``parsed``: (content, root) of
        this move's e-invoice, already parsed."""
        self.ensure_one()
        # A month's lines are read, checked and stored without the cyclic
        # garbage collector (bulk.paused_gc), which resumes once they are
        # freed: not to walk 100,000 rows still held when it resumes.
        with bulk.paused_gc():
            return self._it_einvoice_reconcile_lines(parsed)

    def _it_einvoice_reconcile_lines(self, parsed):
        lessor = self.partner_id.commercial_partner_id
        document, specification, source = self._it_einvoice_read(lessor, parsed=parsed)
        check_document_kind(document, self, self.env)
        month = reconciliation_month(document, self.env)
        Reconciliation = self.env["it.lease.reconciliation"].with_company(
            self.company_id
        )
        existing = Reconciliation.search(
            [
                ("lessor_id", "=", lessor.id),
                ("company_id", "=", self.company_id.id),
                ("date_from", "=", month),
            ]
        )
        moves = (existing.einvoice_move_ids | self).filtered(
            lambda move: move.state != "cancel" and move.it_einvoice_attachment_id
        )
        moves = moves.sorted(lambda move: (move.move_type != "in_invoice", move.id))
        parts = self._it_einvoice_parts(moves, lessor, (document, specification))
        numbers = ", ".join(part[0].number for part in parts)
        reconciliation = Reconciliation._import_specification(
            lessor, month, EInvoiceBundle(parts), numbers, replace=True
        )
        moves.it_reconciliation_id = reconciliation
        self.it_einvoice_serial_source = source
        bills = moves.filtered(lambda move: move.move_type == "in_invoice")
        reconciliation.vendor_bill_id = bills[:1]
        log_note(
            reconciliation,
            body=self.env._(
                "Reconciled from the e-invoices %(numbers)s.", numbers=numbers
            ),
        )
        return reconciliation

    def _it_einvoice_parts(self, moves, lessor, own_part):
        """[(Document, specification)] of the e-invoices of ``moves`` (this
        move's is ``own_part``, already read; the others are read again the
        way they were), refusing the same document received twice."""
        parts, numbers = [], {}
        for move in moves:
            part = (
                own_part
                if move == self
                else move._it_einvoice_read(lessor, move.it_einvoice_serial_source)[:2]
            )
            key = (part[0].is_credit_note, part[0].number)
            if key in numbers:
                raise UserError(
                    self.env._(
                        "E-invoice %(number)s of %(lessor)s is already reconciled "
                        "(%(other)s): the same document was received twice.",
                        number=part[0].number,
                        lessor=lessor.name,
                        other=numbers[key].display_name,
                    )
                )
            numbers[key] = move
            if own_part[0].is_credit_note or move == self:
                self._it_check_attachment_total(part)
            parts.append(part)
        return parts

    def _it_check_attachment_total(self, part):
        """An attached specification must add up to the invoice's net
        amount (BT-106): it is the invoice's own detail."""
        document, specification = part
        if not isinstance(specification, bytes) or not document.net_total:
            return
        lessor = self.partner_id.commercial_partner_id
        rows = self.env["it.lease.reconciliation"]._parse_specification(
            lessor, self.company_id, specification
        )
        total = round(sum(row[5] for row in rows), 2)
        net, _problem = parse_amount(document.net_total, self.env)
        if net is not None and abs(total - net) >= 0.005:
            total_text, net_text = f"{total:.2f}", f"{net:.2f}"
            raise UserError(
                self.env._(
                    "E-invoice %(number)s: its attached specification adds up to "
                    "%(total)s, its lines to %(net)s (BT-106): it is not this "
                    "invoice's specification.",
                    number=document.number,
                    total=total_text,
                    net=net_text,
                )
            )

    # Payment held

    def _it_check_not_held(self):
        _ = self.env._
        for move in self.filtered("it_einvoice_hold"):
            reconciliation = move.it_reconciliation_id.sudo()
            if reconciliation:
                why = _(
                    "its reconciliation %(name)s has %(count)s unresolved "
                    "discrepancies (%(amount)s overcharged).",
                    name=reconciliation.name,
                    count=move.it_discrepancy_count,
                    amount=move.company_currency_id.format(move.it_discrepancy_amount),
                )
            else:
                why = _("the lessor's e-invoice was not reconciled.")
            raise UserError(
                _(
                    "%(move)s is held: %(why)s Accept the discrepancies, dispute "
                    "them with the lessor or have them corrected by a credit note "
                    "first.",
                    move=move.display_name,
                    why=why,
                )
            )

    def action_register_payment(self):
        self._it_check_not_held()
        return super().action_register_payment()

    def action_view_it_reconciliation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "it.lease.reconciliation",
            "res_id": self.it_reconciliation_id.id,
            "view_mode": "form",
        }
