# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""cXML 1.2 documents of a punchout: the ``PunchOutSetupRequest`` and the
``OrderRequest`` the buyer sends, the ``PunchOutSetupResponse`` and the
``PunchOutOrderMessage`` it receives.

Whatever comes back from the shop is parsed without resolving entities,
loading a DTD or touching the network, and a document that declares entities
(an internal DTD subset) is refused: a cart is data, never instructions.
"""

import base64
import binascii
import hmac
import uuid
from datetime import datetime, timezone

from lxml import etree

from odoo.exceptions import UserError

CXML_VERSION = "1.2.014"
CXML_DOCTYPE = (
    f'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/{CXML_VERSION}/cXML.dtd">'
)


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(env, data, what):
    """The root ``cXML`` element of ``data`` (bytes); a document that is not
    well-formed, declares entities or is not cXML is refused, naming ``what``."""
    if isinstance(data, str):
        data = data.encode()
    # An internal DTD subset is the only place entities are declared: cXML
    # documents reference the public DTD by its SYSTEM id and nothing more.
    if b"<!ENTITY" in data.upper():
        raise UserError(env._("%(what)s declares XML entities: refused.", what=what))
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise UserError(
            env._(
                "%(what)s is not well-formed XML: %(error)s",
                what=what,
                error=str(exc),
            )
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None and len(docinfo.internalDTD):
        raise UserError(env._("%(what)s declares XML entities: refused.", what=what))
    if root.tag != "cXML":
        raise UserError(env._("%(what)s is not a cXML document.", what=what))
    return root


def _text(element, path):
    found = element.find(path)
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def _credential(parent, tag, domain, identity, secret=None):
    node = etree.SubElement(parent, tag)
    credential = etree.SubElement(node, "Credential", domain=domain or "")
    etree.SubElement(credential, "Identity").text = identity or ""
    if secret is not None:
        etree.SubElement(credential, "SharedSecret").text = secret
    return node


def _document(header, now=None, payload_id=None):
    now = now or datetime.now(timezone.utc)
    root = etree.Element(
        "cXML",
        payloadID=payload_id or f"{uuid.uuid4().hex}@odoo",
        timestamp=now.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        version=CXML_VERSION,
    )
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "sv-SE")
    head = etree.SubElement(root, "Header")
    _credential(head, "From", header["from_domain"], header["from_identity"])
    _credential(head, "To", header["to_domain"], header["to_identity"])
    sender = _credential(
        head,
        "Sender",
        header["sender_domain"],
        header["sender_identity"],
        header["secret"],
    )
    etree.SubElement(sender, "UserAgent").text = "Odoo municipal_it_punchout"
    return root


def _serialize(root):
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", doctype=CXML_DOCTYPE
    )


def _item_out(parent, item, line_number):
    node = etree.SubElement(
        parent,
        "ItemOut",
        quantity=_number(item["quantity"]),
        lineNumber=str(line_number),
    )
    item_id = etree.SubElement(node, "ItemID")
    etree.SubElement(item_id, "SupplierPartID").text = item["code"]
    detail = etree.SubElement(node, "ItemDetail")
    price = etree.SubElement(detail, "UnitPrice")
    etree.SubElement(price, "Money", currency=item["currency"]).text = _number(
        item["price"]
    )
    description = etree.SubElement(detail, "Description")
    description.set("{http://www.w3.org/XML/1998/namespace}lang", "sv")
    description.text = item["description"]
    etree.SubElement(detail, "UnitOfMeasure").text = item["unit"] or "EA"
    return node


def _number(value):
    return f"{value:.2f}" if value % 1 else f"{int(value)}"


def setup_request(header, operation, buyer_cookie, return_url, items, extrinsics):
    """A ``PunchOutSetupRequest`` (bytes): ``operation`` ``create`` or
    ``edit`` (then ``items`` are the cart to reopen), the shop posts the cart
    back to ``return_url``."""
    root = _document(header)
    request = etree.SubElement(root, "Request")
    setup = etree.SubElement(request, "PunchOutSetupRequest", operation=operation)
    etree.SubElement(setup, "BuyerCookie").text = buyer_cookie
    for name, value in extrinsics.items():
        etree.SubElement(setup, "Extrinsic", name=name).text = value or ""
    post = etree.SubElement(setup, "BrowserFormPost")
    etree.SubElement(post, "URL").text = return_url
    for number, item in enumerate(items, start=1):
        _item_out(setup, item, number)
    return _serialize(root)


def order_request(header, order, items, now=None, payload_id=None):
    """An ``OrderRequest`` (bytes) for ``order``: a dict with ``number``,
    ``date`` (datetime), ``total``, ``currency``, ``bill_to`` and ``ship_to``
    (name, street, city, zip, country code). ``payload_id``: the document's
    ``payloadID``, the same for each sending of one order (cXML's way for the
    receiver to recognise a repeated document)."""
    root = _document(header, now=now, payload_id=payload_id)
    request = etree.SubElement(root, "Request")
    order_node = etree.SubElement(request, "OrderRequest")
    head = etree.SubElement(
        order_node,
        "OrderRequestHeader",
        orderID=order["number"],
        orderDate=order["date"].strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        type="new",
    )
    total = etree.SubElement(head, "Total")
    etree.SubElement(total, "Money", currency=order["currency"]).text = _number(
        order["total"]
    )
    for tag in ("ShipTo", "BillTo"):
        address = order["ship_to" if tag == "ShipTo" else "bill_to"]
        node = etree.SubElement(etree.SubElement(head, tag), "Address")
        name = etree.SubElement(node, "Name")
        name.set("{http://www.w3.org/XML/1998/namespace}lang", "sv")
        name.text = address["name"]
        postal = etree.SubElement(node, "PostalAddress")
        etree.SubElement(postal, "Street").text = address["street"]
        etree.SubElement(postal, "City").text = address["city"]
        etree.SubElement(postal, "PostalCode").text = address["zip"]
        etree.SubElement(
            postal, "Country", isoCountryCode=address["country"]
        ).text = address["country"]
    for number, item in enumerate(items, start=1):
        _item_out(order_node, item, number)
    return _serialize(root)


def response_status(env, data, what):
    """``(code, text, root)`` of the ``Response/Status`` of a cXML answer."""
    root = parse(env, data, what)
    status = root.find("Response/Status")
    if status is None:
        raise UserError(env._("%(what)s has no status.", what=what))
    code = status.get("code", "")
    return code, status.get("text", ""), root


def start_page(env, data):
    """The shop's ``StartPage`` URL of a ``PunchOutSetupResponse``."""
    what = env._("The shop's answer to the punchout setup")
    code, text, root = response_status(env, data, what)
    if not code.startswith("2"):
        raise UserError(
            env._(
                "The shop refused the punchout: %(code)s %(text)s",
                code=code,
                text=text,
            )
        )
    url = _text(root, "Response/PunchOutSetupResponse/StartPage/URL")
    if not url.startswith(("https://", "http://")):
        raise UserError(env._("The shop's answer gives no start page."))
    return url


def decode_form(env, form):
    """The cXML document of a form posted back by the shop: its
    ``cxml-urlencoded`` field, or its ``cxml-base64`` field decoded."""
    if form.get("cxml-urlencoded"):
        return form["cxml-urlencoded"].encode()
    if form.get("cxml-base64"):
        try:
            return base64.b64decode(form["cxml-base64"], validate=True)
        except (binascii.Error, ValueError):
            raise UserError(
                env._("The cart's cxml-base64 field is not base64.")
            ) from None
    raise UserError(
        env._("The return holds no cXML cart (cxml-urlencoded or cxml-base64).")
    )


def _check_credential(env, root, tag, domain, identity, secret=None):
    for credential in root.findall(f"Header/{tag}/Credential"):
        same = credential.get("domain", "").lower() == (domain or "").lower() and _text(
            credential, "Identity"
        ) == (identity or "")
        if same and (
            secret is None
            or hmac.compare_digest(
                _text(credential, "SharedSecret").encode(), secret.encode()
            )
        ):
            return
    raise UserError(
        env._(
            "The cart's %(header)s credential does not match the punchout account.",
            header=tag,
        )
    )


def order_message(env, data, header, buyer_cookie):
    """The items of a ``PunchOutOrderMessage`` whose identities, shared
    secret and buyer cookie match: a list of dicts (line, code, description,
    quantity, unit, price, currency, matgroup, longtext), as text."""
    root = parse(env, data, env._("The cart"))
    # The shop answers: it is From, the buyer is To, the shop's Sender
    # carries the shared secret.
    _check_credential(env, root, "From", header["to_domain"], header["to_identity"])
    _check_credential(env, root, "To", header["from_domain"], header["from_identity"])
    _check_credential(
        env,
        root,
        "Sender",
        header["to_domain"],
        header["to_identity"],
        secret=header["secret"] or "",
    )
    message = root.find("Message/PunchOutOrderMessage")
    if message is None:
        raise UserError(env._("The cart is not a PunchOutOrderMessage."))
    if not hmac.compare_digest(
        _text(message, "BuyerCookie").encode(), buyer_cookie.encode()
    ):
        raise UserError(env._("The cart belongs to another punchout session."))
    items = []
    for number, item in enumerate(message.findall("ItemIn"), start=1):
        money = item.find("ItemDetail/UnitPrice/Money")
        items.append(
            {
                "line": number,
                "code": _text(item, "ItemID/SupplierPartID"),
                "description": _text(item, "ItemDetail/Description"),
                "quantity": item.get("quantity", ""),
                "unit": _text(item, "ItemDetail/UnitOfMeasure"),
                "price": (money.text or "").strip() if money is not None else "",
                "currency": money.get("currency", "") if money is not None else "",
                "matgroup": _text(item, "ItemDetail/Classification"),
                "longtext": "",
            }
        )
    return items
