# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Write a lessor's Peppol BIS Billing 3.0 invoice or credit note (UBL 2.1),
with the serial number of each line carried one way or another, for the
tests and the benchmark. Elements are written in the order of the UBL 2.1
schema."""

import base64
from xml.sax.saxutils import escape

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
    in ``attachment``, a CSV (bytes) embedded as BT-125, not on the lines)."""
    root = "CreditNote" if credit_note else "Invoice"
    line_tag = "CreditNoteLine" if credit_note else "InvoiceLine"
    quantity_tag = "CreditedQuantity" if credit_note else "InvoicedQuantity"
    type_code = type_code or ("381" if credit_note else "380")
    net = round(sum(line[1] for line in lines), 2)
    vat = round(net * VAT_RATE / 100, 2)
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
    out += [
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
    for index, line in enumerate(lines, start=1):
        serial, amount = line[0], line[1]
        extra = line[2] if len(line) > 2 else {}
        quantity = extra.get("quantity", 1)
        body = [
            f"<cac:{line_tag}><cbc:ID>{escape(str(extra.get('id', index)))}</cbc:ID>",
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
        body.append("<cac:Item><cbc:Name>Hyra bärbar dator</cbc:Name>")
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
        price = amount / quantity if quantity else 0
        body += [
            "</cac:Item>",
            (
                f'<cac:Price><cbc:PriceAmount currencyID="{currency}">{_money(abs(price))}'
                "</cbc:PriceAmount></cac:Price>"
            ),
            f"</cac:{line_tag}>",
        ]
        out.append("".join(body))
    out.append(f"</{root}>")
    return "".join(out).encode("utf-8")
