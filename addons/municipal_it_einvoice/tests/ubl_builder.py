# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write a lessor's Peppol BIS Billing 3.0 invoice or credit note (UBL 2.1),
with the serial number of each line carried one way or another, for the
tests and the benchmark. Elements are written in the order of the UBL 2.1
schema."""

import base64
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

CUSTOMIZATION = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
VAT_RATE = 25


def _party(name, org_number, country="SE"):
    return (
        f'<cac:Party><cbc:EndpointID schemeID="0007">{org_number}</cbc:EndpointID>'
        f"<cac:PartyName><cbc:Name>{escape(name)}</cbc:Name></cac:PartyName>"
        "<cac:PostalAddress><cbc:StreetName>Storgatan 1</cbc:StreetName>"
        "<cbc:CityName>Stockholm</cbc:CityName><cbc:PostalZone>11122</cbc:PostalZone>"
        f"<cac:Country><cbc:IdentificationCode>{country}</cbc:IdentificationCode>"
        "</cac:Country></cac:PostalAddress>"
        f"<cac:PartyTaxScheme><cbc:CompanyID>SE{org_number}01</cbc:CompanyID>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        f"<cac:PartyLegalEntity><cbc:RegistrationName>{escape(name)}"
        f'</cbc:RegistrationName><cbc:CompanyID schemeID="0007">{org_number}'
        "</cbc:CompanyID></cac:PartyLegalEntity></cac:Party>"
    )


def _money(value):
    return f"{value:.2f}"


def build(
    lines,
    *,
    serial_in="object_id",
    number="INV-1",
    credit_note=False,
    currency="SEK",
    period=("2026-03-01", "2026-03-31"),
    contract_ref="S-1",
    seller=("Test Lessor AB", "5566778899"),
    buyer=("Testkommun", "2120000142"),
    attachment=None,
    type_code=None,
    billing_ref=None,
    serial_name="Serienummer",
):
    """The UBL document (bytes) of ``lines``: [(serial, amount)] or
    [(serial, amount, {"period": (start, end), "quantity": q, "id": i,
    "schedule": s})]. ``serial_in``: "object_id" (BT-128), "item_property"
    (BT-160/161), "sellers_item_id" (BT-155) or "attachment" (the serials are
    in ``attachment``, a CSV (bytes) embedded as BT-125, not on the lines).
    Every document written is valid against the UBL 2.1 schema (checked:
    AssertionError otherwise)."""
    root = "CreditNote" if credit_note else "Invoice"
    net = round(sum(line[1] for line in lines), 2)
    out = _header(root, number, type_code, currency, period)
    out += _references(billing_ref, contract_ref, attachment)
    out += _parties_and_totals(seller, buyer, currency, net)
    for index, line in enumerate(lines, start=1):
        out.append(_line(root, index, line, currency, serial_in, serial_name))
    out.append(f"</{root}>")
    content = "".join(out).encode("utf-8")
    check_schema(content)
    return content


def _header(root, number, type_code, currency, period):
    credit_note = root == "CreditNote"
    out = [
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" '
            'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:'
            'CommonAggregateComponents-2" '
            'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:'
            'CommonBasicComponents-2">'
        ),
        f"<cbc:CustomizationID>{CUSTOMIZATION}</cbc:CustomizationID>",
        f"<cbc:ProfileID>{PROFILE}</cbc:ProfileID>",
        f"<cbc:ID>{escape(number)}</cbc:ID>",
        "<cbc:IssueDate>2026-03-05</cbc:IssueDate>",
    ]
    if not credit_note:
        out.append("<cbc:DueDate>2026-04-04</cbc:DueDate>")
    type_code = type_code or ("381" if credit_note else "380")
    out += [
        f"<cbc:{root}TypeCode>{type_code}</cbc:{root}TypeCode>",
        f"<cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>",
        "<cbc:BuyerReference>IT-leasing</cbc:BuyerReference>",
    ]
    if period:
        out.append(
            f"<cac:InvoicePeriod><cbc:StartDate>{period[0]}</cbc:StartDate>"
            f"<cbc:EndDate>{period[1]}</cbc:EndDate></cac:InvoicePeriod>"
        )
    return out


def _references(billing_ref, contract_ref, attachment):
    out = []
    if billing_ref:
        out.append(
            "<cac:BillingReference><cac:InvoiceDocumentReference>"
            f"<cbc:ID>{escape(billing_ref)}</cbc:ID>"
            "</cac:InvoiceDocumentReference></cac:BillingReference>"
        )
    if contract_ref:
        out.append(
            "<cac:ContractDocumentReference>"
            f"<cbc:ID>{escape(contract_ref)}</cbc:ID></cac:ContractDocumentReference>"
        )
    if attachment is not None:
        out.append(
            "<cac:AdditionalDocumentReference><cbc:ID>Specifikation</cbc:ID>"
            "<cac:Attachment><cbc:EmbeddedDocumentBinaryObject "
            'mimeCode="text/csv" filename="specifikation.csv">'
            f"{base64.b64encode(attachment).decode()}"
            "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>"
            "</cac:AdditionalDocumentReference>"
        )
    return out


def _parties_and_totals(seller, buyer, currency, net):
    vat = round(net * VAT_RATE / 100, 2)
    return [
        f"<cac:AccountingSupplierParty>{_party(*seller)}</cac:AccountingSupplierParty>",
        f"<cac:AccountingCustomerParty>{_party(*buyer)}</cac:AccountingCustomerParty>",
        (
            "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>"
            "<cac:PayeeFinancialAccount><cbc:ID>SE4550000000058398257466</cbc:ID>"
            "</cac:PayeeFinancialAccount></cac:PaymentMeans>"
        ),
        (
            f'<cac:TaxTotal><cbc:TaxAmount currencyID="{currency}">{_money(vat)}'
            "</cbc:TaxAmount><cac:TaxSubtotal>"
            f'<cbc:TaxableAmount currencyID="{currency}">{_money(net)}</cbc:TaxableAmount>'
            f'<cbc:TaxAmount currencyID="{currency}">{_money(vat)}</cbc:TaxAmount>'
            f"<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{VAT_RATE}</cbc:Percent>"
            "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>"
            "</cac:TaxSubtotal></cac:TaxTotal>"
        ),
        (
            "<cac:LegalMonetaryTotal>"
            f'<cbc:LineExtensionAmount currencyID="{currency}">{_money(net)}'
            "</cbc:LineExtensionAmount>"
            f'<cbc:TaxExclusiveAmount currencyID="{currency}">{_money(net)}'
            "</cbc:TaxExclusiveAmount>"
            f'<cbc:TaxInclusiveAmount currencyID="{currency}">{_money(net + vat)}'
            "</cbc:TaxInclusiveAmount>"
            f'<cbc:PayableAmount currencyID="{currency}">{_money(net + vat)}'
            "</cbc:PayableAmount></cac:LegalMonetaryTotal>"
        ),
    ]


def _line(root, index, line, currency, serial_in, serial_name):
    """One cac:InvoiceLine (cac:CreditNoteLine) of ``line``, its serial
    number carried as ``serial_in`` says."""
    quantity_tag = "CreditedQuantity" if root == "CreditNote" else "InvoicedQuantity"
    serial, amount = line[0], line[1]
    extra = line[2] if len(line) > 2 else {}
    quantity = extra.get("quantity", 1)
    body = [
        f"<cac:{root}Line><cbc:ID>{escape(str(extra.get('id', index)))}</cbc:ID>",
        f'<cbc:{quantity_tag} unitCode="C62">{quantity}</cbc:{quantity_tag}>',
        (
            f'<cbc:LineExtensionAmount currencyID="{currency}">{_money(amount)}'
            "</cbc:LineExtensionAmount>"
        ),
    ]
    if "period" in extra:
        body.append(
            f"<cac:InvoicePeriod><cbc:StartDate>{extra['period'][0]}"
            f"</cbc:StartDate><cbc:EndDate>{extra['period'][1]}</cbc:EndDate>"
            "</cac:InvoicePeriod>"
        )
    if serial_in == "object_id":
        body.append(
            f'<cac:DocumentReference><cbc:ID schemeID="SN">{escape(serial)}'
            "</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>"
            "</cac:DocumentReference>"
        )
    body.append(_item(serial, extra, serial_in, serial_name))
    price = amount / quantity if quantity else 0
    body += [
        (
            f'<cac:Price><cbc:PriceAmount currencyID="{currency}">{_money(abs(price))}'
            "</cbc:PriceAmount></cac:Price>"
        ),
        f"</cac:{root}Line>",
    ]
    return "".join(body)


def _item(serial, extra, serial_in, serial_name):
    body = ["<cac:Item><cbc:Name>Hyra bärbar dator</cbc:Name>"]
    if serial_in == "sellers_item_id":
        body.append(
            "<cac:SellersItemIdentification>"
            f"<cbc:ID>{escape(serial)}</cbc:ID></cac:SellersItemIdentification>"
        )
    body.append(
        f"<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{VAT_RATE}"
        "</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"
        "</cac:ClassifiedTaxCategory>"
    )
    if serial_in == "item_property":
        body.append(
            f"<cac:AdditionalItemProperty><cbc:Name>{escape(serial_name)}"
            f"</cbc:Name><cbc:Value>{escape(serial)}</cbc:Value>"
            "</cac:AdditionalItemProperty>"
        )
    if "schedule" in extra:
        body.append(
            "<cac:AdditionalItemProperty><cbc:Name>Bilaga</cbc:Name>"
            f"<cbc:Value>{escape(extra['schedule'])}</cbc:Value>"
            "</cac:AdditionalItemProperty>"
        )
    body.append("</cac:Item>")
    return "".join(body)


# The UBL 2.1 schemas (OASIS, runtime edition: see data/ubl21/README.md).
SCHEMA_FOLDER = Path(__file__).parent / "data" / "ubl21"
SCHEMA_FILES = (
    "maindoc/UBL-Invoice-2.1.xsd",
    "maindoc/UBL-CreditNote-2.1.xsd",
    "common/CCTS_CCT_SchemaModule-2.1.xsd",
    "common/UBL-CommonAggregateComponents-2.1.xsd",
    "common/UBL-CommonBasicComponents-2.1.xsd",
    "common/UBL-CommonExtensionComponents-2.1.xsd",
    "common/UBL-CommonSignatureComponents-2.1.xsd",
    "common/UBL-ExtensionContentDataType-2.1.xsd",
    "common/UBL-QualifiedDataTypes-2.1.xsd",
    "common/UBL-SignatureAggregateComponents-2.1.xsd",
    "common/UBL-SignatureBasicComponents-2.1.xsd",
    "common/UBL-UnqualifiedDataTypes-2.1.xsd",
    "common/UBL-XAdESv132-2.1.xsd",
    "common/UBL-XAdESv141-2.1.xsd",
    "common/UBL-xmldsig-core-schema-2.1.xsd",
)
_schemas = {}


def missing_schema_files():
    """The files of the UBL 2.1 schema set that are not in SCHEMA_FOLDER."""
    return [name for name in SCHEMA_FILES if not (SCHEMA_FOLDER / name).is_file()]


def schema(root):
    """The lxml XMLSchema of the UBL 2.1 document ``root`` ("Invoice" or
    "CreditNote"), loaded once, from local files only."""
    if root not in _schemas:
        missing = missing_schema_files()
        if missing:
            raise AssertionError(
                f"UBL 2.1 schema files missing in {SCHEMA_FOLDER}: {', '.join(missing)}"
            )
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        path = SCHEMA_FOLDER / "maindoc" / f"UBL-{root}-2.1.xsd"
        _schemas[root] = etree.XMLSchema(etree.parse(str(path), parser))
    return _schemas[root]


def schema_errors(content):
    """The UBL 2.1 schema's errors of the document ``content`` (bytes), as
    text lines; [] when it is valid."""
    document = etree.fromstring(content, etree.XMLParser(huge_tree=True))
    validator = schema(etree.QName(document).localname)
    if validator.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in validator.error_log]


def check_schema(content):
    """Raise AssertionError naming the schema errors of ``content``."""
    errors = schema_errors(content)
    if errors:
        raise AssertionError("Not a valid UBL 2.1 document:\n" + "\n".join(errors[:20]))
