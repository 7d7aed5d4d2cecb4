# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read a lessor's UBL 2.1 invoice or credit note (Peppol BIS Billing 3.0)
into what the reconciliation needs: its header (parties, currency, periods,
references, embedded attachments) and, per invoice line, the line ID,
quantity, amount, period and every place a serial number can be carried.

The document is parsed with entity resolution, DTD loading and network
access off, and a document type declaration is refused: an e-invoice is
data from outside."""

import base64
import binascii
import re

from lxml import etree

from odoo.exceptions import UserError

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"

# Document type codes (UNTDID 1001) that Peppol BIS Billing 3.0 allows and
# that are a supplier's invoice or credit note.
INVOICE_TYPE_CODES = {"380", "383", "384", "389", "751"}
CREDIT_NOTE_TYPE_CODES = {"381", "396", "81", "83", "532"}
OBJECT_IDENTIFIER_CODE = "130"  # BT-128: invoiced object identifier

# Where a lessor's invoice line carries the device's serial number.
SERIAL_SOURCES = [
    ("auto", "Guess from the invoice"),
    ("object_id", "Invoiced object identifier (BT-128)"),
    ("item_property", "Item attribute (BT-160/161)"),
    ("sellers_item_id", "Seller's item identifier (BT-155)"),
    ("attachment", "Attached specification (BT-125)"),
]

ATTACHMENT_MIMETYPES = {
    "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


class Lines:
    """The invoice (or credit note) lines of a document, as the document
    writes them, field by field: one list per field, in document order (the
    n-th line's ID is ``line_ids[n - 1]``). A month's 100,000 lines are read
    as eight lists of text, not as 100,000 objects."""

    __slots__ = (
        "amounts",
        "line_ids",
        "object_ids",
        "object_schemes",
        "periods",
        "properties",
        "quantities",
        "sellers_item_ids",
    )

    def __init__(self, columns=((),) * 8):
        (
            self.line_ids,
            self.quantities,
            self.amounts,
            self.periods,
            self.object_ids,
            self.object_schemes,
            self.sellers_item_ids,
            # Per line, its item attributes (BT-160/161) as one text: see
            # item_properties.
            self.properties,
        ) = columns

    def __len__(self):
        return len(self.line_ids)


def item_properties(text):
    """((name, value), ...) of a line's item attributes, from the text
    ``Lines.properties`` holds for it: a carriage return before each name
    and each value (no value holds one: they are whitespace-normalised)."""
    values = text.split("\r")[1:]
    return tuple(zip(values[::2], values[1::2], strict=True))


class Document:
    """A UBL invoice or credit note: its header and its lines."""

    def __init__(self):
        self.is_credit_note = False
        self.number = self.issue_date = self.type_code = self.currency = ""
        self.period = self.contract_ref = self.order_ref = ""
        self.net_total = ""
        self.seller_name = self.buyer_name = ""
        self.seller_ids = set()
        self.buyer_ids = set()
        self.attachments = []  # [(filename, mimetype, bytes)]
        self.lines = Lines()

    @property
    def sign(self):
        return -1 if self.is_credit_note else 1


def _text(element):
    # The string value, as XPath reads it: a tree parsed by Odoo's import
    # keeps its comments, which would cut ``element.text`` short.
    return "".join(element.itertext()).strip() if element is not None else ""


def normalize_identifier(value):
    """A party identifier compared without spaces, dashes or case; a Swedish
    VAT number (SE + organisation number + 01) also gives the organisation
    number it holds."""
    value = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
    if not value:
        return set()
    found = {value}
    match = re.fullmatch(r"SE(\d{10})01", value)
    if match:
        found.add(match[1])
    return found


def _party_identifiers(party):
    """Every identifier of a cac:Party: endpoint (BT-34/49), party
    identifiers, legal registration (BT-30/47) and VAT number (BT-31/48)."""
    found = set()
    if party is None:
        return found
    for path in (
        f"{CBC}EndpointID",
        f"{CAC}PartyIdentification/{CBC}ID",
        f"{CAC}PartyLegalEntity/{CBC}CompanyID",
        f"{CAC}PartyTaxScheme/{CBC}CompanyID",
    ):
        for element in party.iterfind(path):
            found |= normalize_identifier(_text(element))
    return found


def _party_name(party):
    if party is None:
        return ""
    return _text(party.find(f"{CAC}PartyLegalEntity/{CBC}RegistrationName")) or _text(
        party.find(f"{CAC}PartyName/{CBC}Name")
    )


# The lines read in one pass by libxslt (a Python loop over 100,000 lines'
# elements costs several times the parse), as one text that a single split
# cuts into the columns of Lines: per line, its fixed fields, then its item
# attributes, each field followed by a tab. Every value is whitespace-
# normalised, so that none holds a tab or a carriage return.
LINES_XSLT = etree.XSLT(
    etree.XML(
        b"""<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <!-- One loop per kind of line: a union would sort 100,000 nodes. -->
    <xsl:for-each select="/*/cac:InvoiceLine">
      <xsl:call-template name="line"/>
    </xsl:for-each>
    <xsl:for-each select="/*/cac:CreditNoteLine">
      <xsl:call-template name="line"/>
    </xsl:for-each>
  </xsl:template>
  <xsl:template name="line">
      <xsl:variable name="object"
          select="cac:DocumentReference[normalize-space(cbc:DocumentTypeCode)='130']/cbc:ID"/>
      <xsl:value-of select="normalize-space(cbc:ID)"/><xsl:text>&#9;</xsl:text>
      <xsl:value-of select="normalize-space(cbc:InvoicedQuantity | cbc:CreditedQuantity)"/>
      <xsl:text>&#9;</xsl:text>
      <xsl:value-of select="normalize-space(cbc:LineExtensionAmount)"/>
      <xsl:text>&#9;</xsl:text>
      <xsl:value-of select="normalize-space(cac:InvoicePeriod/cbc:StartDate)"/>
      <xsl:text>&#9;</xsl:text>
      <xsl:value-of select="normalize-space($object)"/><xsl:text>&#9;</xsl:text>
      <xsl:value-of select="normalize-space($object/@schemeID)"/><xsl:text>&#9;</xsl:text>
      <xsl:value-of
          select="normalize-space(cac:Item/cac:SellersItemIdentification/cbc:ID)"/>
      <xsl:text>&#9;</xsl:text>
      <xsl:for-each select="cac:Item/cac:AdditionalItemProperty">
        <xsl:text>&#13;</xsl:text><xsl:value-of select="normalize-space(cbc:Name)"/>
        <xsl:text>&#13;</xsl:text><xsl:value-of select="normalize-space(cbc:Value)"/>
      </xsl:for-each>
      <xsl:text>&#9;</xsl:text>
  </xsl:template>
</xsl:stylesheet>"""
    ),
    access_control=etree.XSLTAccessControl.DENY_ALL,
)
FIELDS = 8  # per line: the columns of Lines, in the order it takes them


def _read_lines(tree):
    """The Lines of the parsed document ``tree``."""
    values = str(LINES_XSLT(tree)).split("\t")
    values.pop()  # after the last line's last tab
    return Lines([values[field::FIELDS] for field in range(FIELDS)])


HEADER_TAGS = (
    f"{CBC}ID",
    f"{CBC}IssueDate",
    f"{CBC}InvoiceTypeCode",
    f"{CBC}CreditNoteTypeCode",
    f"{CBC}DocumentCurrencyCode",
    f"{CAC}InvoicePeriod",
    f"{CAC}OrderReference",
    f"{CAC}ContractDocumentReference",
    f"{CAC}AdditionalDocumentReference",
    f"{CAC}AccountingSupplierParty",
    f"{CAC}AccountingCustomerParty",
    f"{CAC}LegalMonetaryTotal",
)


def _read_header(root, document, env):
    # Only the header's own elements: the filter runs in libxml2, past the
    # 100,000 lines a Python loop over the root's children would visit.
    for child in root.iterchildren(*HEADER_TAGS):
        tag = child.tag
        if tag == f"{CBC}ID":
            document.number = _text(child)
        elif tag == f"{CBC}IssueDate":
            document.issue_date = _text(child)
        elif tag in (f"{CBC}InvoiceTypeCode", f"{CBC}CreditNoteTypeCode"):
            document.type_code = _text(child)
        elif tag == f"{CBC}DocumentCurrencyCode":
            document.currency = _text(child).upper()
        elif tag == f"{CAC}InvoicePeriod":
            document.period = _text(child.find(f"{CBC}StartDate"))
        elif tag == f"{CAC}OrderReference":
            document.order_ref = _text(child.find(f"{CBC}ID"))
        elif tag == f"{CAC}ContractDocumentReference":
            document.contract_ref = _text(child.find(f"{CBC}ID"))
        elif tag == f"{CAC}AdditionalDocumentReference":
            _read_attachment(child, document, env)
        elif tag == f"{CAC}AccountingSupplierParty":
            party = child.find(f"{CAC}Party")
            document.seller_ids = _party_identifiers(party)
            document.seller_name = _party_name(party)
        elif tag == f"{CAC}AccountingCustomerParty":
            party = child.find(f"{CAC}Party")
            document.buyer_ids = _party_identifiers(party)
            document.buyer_name = _party_name(party)
        elif tag == f"{CAC}LegalMonetaryTotal":
            document.net_total = _text(child.find(f"{CBC}LineExtensionAmount"))


def _read_attachment(reference, document, env):
    """The file embedded in the cac:AdditionalDocumentReference
    ``reference`` (BT-125), if any, added to ``document.attachments``."""
    binary = reference.find(f"{CAC}Attachment/{CBC}EmbeddedDocumentBinaryObject")
    if binary is None:
        return
    try:
        content = base64.b64decode(binary.text or "", validate=False)
    except (binascii.Error, ValueError) as error:
        raise UserError(
            env._(
                "The e-invoice's attachment %(name)s is not valid base64: %(error)s",
                name=binary.get("filename", ""),
                error=error,
            )
        ) from error
    document.attachments.append(
        (binary.get("filename", ""), binary.get("mimeCode", ""), content)
    )


def read_document(content, env, max_bytes, root=None):
    """The Document of the UBL ``content`` (bytes). Refuses (UserError, each
    named) a document over ``max_bytes``, one that is not well-formed XML,
    that declares a DTD or entities, that is not a UBL invoice or credit
    note, or whose type code is not an invoice's or a credit note's.

    ``root``: the same document already parsed (Odoo's import of the bill
    parses it, entities off); it is then read, not parsed again."""
    _check_size(len(content), max_bytes, env)
    if root is None:
        root = parse_document(content, env)
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        _refuse_doctype(env)
    _check_root(root, env)
    document = Document()
    document.is_credit_note = root.tag == f"{{{NS_CREDIT_NOTE}}}CreditNote"
    _read_header(root, document, env)
    _check_type_code(document, env)
    document.lines = _read_lines(tree)
    if not document.lines:
        raise UserError(
            env._("The e-invoice %(number)s has no lines.", number=document.number)
        )
    return document


def parse_document(content, env):
    """The root element of the XML ``content``, parsed with entity
    resolution, DTD loading and network access off."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        # The size is limited before (municipal_it_einvoice.max_document_mb).
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise UserError(
            env._("The e-invoice is not well-formed XML: %(error)s", error=error)
        ) from error
    if root is None:
        raise UserError(env._("The e-invoice is empty."))
    return root


def _check_size(size, max_bytes, env):
    if size > max_bytes:
        raise UserError(
            env._(
                "The e-invoice is %(size)s MB: larger than the %(limit)s MB this "
                "database accepts (system parameter "
                "municipal_it_einvoice.max_document_mb).",
                size=f"{size / 2**20:.1f}",
                limit=f"{max_bytes / 2**20:.1f}",
            )
        )


def _check_type_code(document, env):
    codes = CREDIT_NOTE_TYPE_CODES if document.is_credit_note else INVOICE_TYPE_CODES
    if document.type_code not in codes:
        raise UserError(
            env._(
                "The e-invoice %(number)s has document type code %(code)r: not "
                "an invoice (%(invoice_codes)s) or credit note "
                "(%(credit_codes)s) of Peppol BIS Billing 3.0.",
                number=document.number,
                code=document.type_code,
                invoice_codes=", ".join(sorted(INVOICE_TYPE_CODES)),
                credit_codes=", ".join(sorted(CREDIT_NOTE_TYPE_CODES)),
            )
        )


def _refuse_doctype(env):
    raise UserError(
        env._(
            "The e-invoice declares a document type (<!DOCTYPE>): a UBL "
            "e-invoice has none, and its entities are not read. Ask the "
            "sender for the invoice as Peppol BIS Billing 3.0."
        )
    )


def _check_root(root, env):
    if root.tag not in (
        f"{{{NS_INVOICE}}}Invoice",
        f"{{{NS_CREDIT_NOTE}}}CreditNote",
    ):
        name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        raise UserError(
            env._(
                "The document is not a UBL invoice or credit note: its root "
                "element is %(root)s.",
                root=name,
            )
        )
