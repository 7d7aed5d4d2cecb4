# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A simulated reseller's web shop, for the tests and the demo.

It speaks OCI 5.0 and cXML 1.2 as a reseller's shop does: an OCI login form
posted by the browser, a cXML ``PunchOutSetupRequest`` answered with a start
page, a catalogue page, the cart posted back to the buyer's hook URL (OCI
``NEW_ITEM-*`` fields, or a ``PunchOutOrderMessage`` in ``cxml-urlencoded``),
and ``OrderRequest`` documents answered with a status. It keeps no state
between requests but the orders it received: the cXML session travels in a
signed token of the start page URL.

It knows nothing of Odoo: ``DemoShop.handle`` takes a request and returns a
response, served by the addon's ``/punchout_demo_shop`` routes (demo) or by a
plain HTTP server of the tests.
"""

import base64
import hashlib
import hmac
import html
import json
import uuid
from datetime import datetime, timezone

from lxml import etree

USERNAME = "kommun"
PASSWORD = "demo-password"
SHARED_SECRET = "demo-secret"
BUYER_DOMAIN = "NetworkID"
BUYER_IDENTITY = "KOMMUN-IT"
SHOP_DOMAIN = "DUNS"
SHOP_IDENTITY = "DEMO-SHOP"
CURRENCY = "SEK"

CATALOGUE = [
    {
        "code": "DL-5450-I5",
        "name": 'Dell Latitude 5450 14" i5 16 GB 512 GB',
        "unit": "EA",
        "price": 12490.0,
        "matgroup": "43211503",
    },
    {
        "code": "HP-840G11",
        "name": 'HP EliteBook 840 G11 14" Ultra 5 16 GB',
        "unit": "EA",
        "price": 13990.0,
        "matgroup": "43211503",
    },
    {
        "code": "DL-P2425H",
        "name": 'Dell P2425H 24" monitor',
        "unit": "EA",
        "price": 2190.0,
        "matgroup": "43211902",
    },
    {
        "code": "DL-U2724D",
        "name": 'Dell UltraSharp U2724D 27" monitor',
        "unit": "EA",
        "price": 4590.0,
        "matgroup": "43211902",
    },
    {
        "code": "DL-WD19S",
        "name": "Dell WD19S USB-C dock 180 W",
        "unit": "EA",
        "price": 2390.0,
        "matgroup": "43211602",
    },
]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _parse(data):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser=parser)


def _text(element, path):
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _page(title, body):
    return f"<h1>{html.escape(title)}</h1>{body}"


def _autosubmit(action, fields, label):
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}"/>'
        for name, value in fields
    )
    return (
        f'<form class="o_demo_shop_return" method="post" '
        f'action="{html.escape(action)}">{inputs}'
        f'<button type="submit">{html.escape(label)}</button></form>'
        "<script>document.forms[document.forms.length - 1].submit();</script>"
    )


def _status_document(code, text, payload=None):
    root = etree.Element(
        "cXML",
        payloadID=f"{uuid.uuid4().hex}@demo-shop",
        timestamp=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    )
    response = etree.SubElement(root, "Response")
    etree.SubElement(response, "Status", code=str(code), text=text)
    if payload is not None:
        response.append(payload)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class DemoShop:
    """The shop mounted at ``base_url`` (e.g. ``http://host/punchout_demo_shop``)."""

    def __init__(self, base_url, fail_orders=False):
        self.base_url = base_url.rstrip("/")
        self.fail_orders = fail_orders
        self.received_orders = []
        self._order_payloads = set()

    # -- dispatch -----------------------------------------------------------

    def handle(self, method, path, form, body):
        """``(status, content type, body, is_page)`` of a request: ``form``
        maps field names to lists of values, ``body`` is the raw body;
        ``is_page`` is true for an HTML fragment to wrap in a page."""
        routes = {
            ("POST", "/oci"): self._oci_login,
            ("POST", "/oci/cart"): self._oci_cart,
            ("POST", "/cxml/setup"): self._cxml_setup,
            ("GET", "/cxml/start"): self._cxml_start,
            ("POST", "/cxml/cart"): self._cxml_cart,
            ("POST", "/cxml/order"): self._cxml_order,
        }
        route = routes.get((method, path))
        if not route:
            return 404, "text/plain", "Not found", False
        return route(form, body)

    # -- pages --------------------------------------------------------------

    def _catalogue(self, action, hidden, quantities=None):
        quantities = quantities or {}
        rows = "".join(
            "<tr><td>{name}</td><td>{code}</td><td>{price:.2f} {cur}</td>"
            '<td><input type="number" min="0" max="999" name="qty_{code}" '
            'value="{qty}" class="o_demo_shop_qty" data-code="{code}"/></td></tr>'.format(
                name=html.escape(product["name"]),
                code=html.escape(product["code"]),
                price=product["price"],
                cur=CURRENCY,
                qty=int(quantities.get(product["code"], 0)),
            )
            for product in CATALOGUE
        )
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(name)}" '
            f'value="{html.escape(value)}"/>'
            for name, value in hidden
        )
        return _page(
            "Demo Reseller AB - framework agreement shop",
            f'<form method="post" action="{html.escape(action)}">{inputs}'
            "<table><tr><th>Product</th><th>Code</th><th>Price</th>"
            f"<th>Quantity</th></tr>{rows}</table>"
            '<button type="submit" class="o_demo_shop_transfer">'
            "Transfer cart</button></form>",
        )

    def _cart(self, form):
        cart = []
        for product in CATALOGUE:
            raw = (form.get(f"qty_{product['code']}") or ["0"])[0] or "0"
            try:
                quantity = int(raw)
            except ValueError:
                quantity = 0
            if quantity > 0:
                cart.append((product, quantity))
        return cart

    # -- OCI ----------------------------------------------------------------

    def _oci_login(self, form, body):
        username = (form.get("USERNAME") or [""])[0]
        password = (form.get("PASSWORD") or [""])[0]
        hook_url = (form.get("HOOK_URL") or [""])[0]
        if not (
            hmac.compare_digest(username.encode(), USERNAME.encode())
            and hmac.compare_digest(password.encode(), PASSWORD.encode())
        ):
            return 403, "text/plain", "Wrong OCI username or password", False
        if not hook_url.startswith(("http://", "https://")):
            return 400, "text/plain", "No HOOK_URL", False
        page = self._catalogue(f"{self.base_url}/oci/cart", [("HOOK_URL", hook_url)])
        return 200, "text/html", page, True

    def _oci_cart(self, form, body):
        hook_url = (form.get("HOOK_URL") or [""])[0]
        fields = []
        for number, (product, quantity) in enumerate(self._cart(form), start=1):
            fields += [
                (f"NEW_ITEM-DESCRIPTION[{number}]", product["name"]),
                (f"NEW_ITEM-QUANTITY[{number}]", str(quantity)),
                (f"NEW_ITEM-UNIT[{number}]", product["unit"]),
                (f"NEW_ITEM-PRICE[{number}]", f"{product['price']:.2f}"),
                (f"NEW_ITEM-PRICEUNIT[{number}]", "1"),
                (f"NEW_ITEM-CURRENCY[{number}]", CURRENCY),
                (f"NEW_ITEM-VENDORMAT[{number}]", product["code"]),
                (f"NEW_ITEM-MATGROUP[{number}]", product["matgroup"]),
                (f"NEW_ITEM-LEADTIME[{number}]", "3"),
                (f"NEW_ITEM-LONGTEXT_{number}:132[]", product["name"]),
            ]
        page = _page(
            "Returning your cart",
            _autosubmit(hook_url, fields, "Return to the purchase system"),
        )
        return 200, "text/html", page, True

    # -- cXML ---------------------------------------------------------------

    def _sign(self, data):
        raw = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        mac = hmac.new(SHARED_SECRET.encode(), raw.encode(), hashlib.sha256)
        return f"{raw}.{mac.hexdigest()}"

    def _unsign(self, token):
        raw, __, mac = (token or "").partition(".")
        good = hmac.new(SHARED_SECRET.encode(), raw.encode(), hashlib.sha256)
        if not hmac.compare_digest(mac, good.hexdigest()):
            return None
        return json.loads(base64.urlsafe_b64decode(raw.encode()))

    def _sender_ok(self, root):
        credential = root.find("Header/Sender/Credential")
        return (
            credential is not None
            and _text(credential, "Identity") == BUYER_IDENTITY
            and hmac.compare_digest(
                _text(credential, "SharedSecret").encode(), SHARED_SECRET.encode()
            )
        )

    def _cxml_setup(self, form, body):
        try:
            root = _parse(body)
        except etree.XMLSyntaxError:
            return 400, "text/xml", _status_document(400, "Bad Request"), False
        if not self._sender_ok(root):
            return 401, "text/xml", _status_document(401, "Unauthorized"), False
        setup = root.find("Request/PunchOutSetupRequest")
        if setup is None:
            return 400, "text/xml", _status_document(400, "Bad Request"), False
        quantities = {
            _text(item, "ItemID/SupplierPartID"): float(item.get("quantity") or 0)
            for item in setup.findall("ItemOut")
        }
        token = self._sign(
            {
                "cookie": _text(setup, "BuyerCookie"),
                "post": _text(setup, "BrowserFormPost/URL"),
                "operation": setup.get("operation", "create"),
                "quantities": quantities,
            }
        )
        payload = etree.Element("PunchOutSetupResponse")
        start = etree.SubElement(payload, "StartPage")
        etree.SubElement(start, "URL").text = f"{self.base_url}/cxml/start?s={token}"
        return 200, "text/xml", _status_document(200, "OK", payload), False

    def _cxml_start(self, form, body):
        state = self._unsign((form.get("s") or [""])[0])
        if state is None:
            return 403, "text/plain", "Unknown punchout session", False
        page = self._catalogue(
            f"{self.base_url}/cxml/cart",
            [("s", (form.get("s") or [""])[0])],
            state["quantities"],
        )
        return 200, "text/html", page, True

    def order_message(self, cookie, cart):
        """A ``PunchOutOrderMessage`` (bytes) of ``cart``: (product, quantity)."""
        root = etree.Element(
            "cXML",
            payloadID=f"{uuid.uuid4().hex}@demo-shop",
            timestamp=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        )
        header = etree.SubElement(root, "Header")
        for tag, domain, identity in (
            ("From", SHOP_DOMAIN, SHOP_IDENTITY),
            ("To", BUYER_DOMAIN, BUYER_IDENTITY),
            ("Sender", SHOP_DOMAIN, SHOP_IDENTITY),
        ):
            credential = etree.SubElement(
                etree.SubElement(header, tag), "Credential", domain=domain
            )
            etree.SubElement(credential, "Identity").text = identity
            if tag == "Sender":
                etree.SubElement(credential, "SharedSecret").text = SHARED_SECRET
        message = etree.SubElement(
            etree.SubElement(root, "Message"), "PunchOutOrderMessage"
        )
        etree.SubElement(message, "BuyerCookie").text = cookie
        head = etree.SubElement(
            message, "PunchOutOrderMessageHeader", operationAllowed="edit"
        )
        total = sum(product["price"] * quantity for product, quantity in cart)
        etree.SubElement(
            etree.SubElement(head, "Total"), "Money", currency=CURRENCY
        ).text = f"{total:.2f}"
        for product, quantity in cart:
            item = etree.SubElement(message, "ItemIn", quantity=str(quantity))
            etree.SubElement(
                etree.SubElement(item, "ItemID"), "SupplierPartID"
            ).text = product["code"]
            detail = etree.SubElement(item, "ItemDetail")
            etree.SubElement(
                etree.SubElement(detail, "UnitPrice"), "Money", currency=CURRENCY
            ).text = f"{product['price']:.2f}"
            description = etree.SubElement(detail, "Description")
            description.set(XML_LANG, "sv")
            description.text = product["name"]
            etree.SubElement(detail, "UnitOfMeasure").text = product["unit"]
            etree.SubElement(detail, "Classification", domain="UNSPSC").text = product[
                "matgroup"
            ]
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def _cxml_cart(self, form, body):
        state = self._unsign((form.get("s") or [""])[0])
        if state is None:
            return 403, "text/plain", "Unknown punchout session", False
        message = self.order_message(state["cookie"], self._cart(form))
        page = _page(
            "Returning your cart",
            _autosubmit(
                state["post"],
                [("cxml-urlencoded", message.decode())],
                "Return to the purchase system",
            ),
        )
        return 200, "text/html", page, True

    def _cxml_order(self, form, body):
        try:
            root = _parse(body)
        except etree.XMLSyntaxError:
            return 400, "text/xml", _status_document(400, "Bad Request"), False
        if not self._sender_ok(root):
            return 401, "text/xml", _status_document(401, "Unauthorized"), False
        if self.fail_orders:
            return 500, "text/xml", _status_document(500, "Internal Error"), False
        head = root.find("Request/OrderRequest/OrderRequestHeader")
        if head is None:
            return 400, "text/xml", _status_document(400, "Bad Request"), False
        payload_id = root.get("payloadID")
        if payload_id in self._order_payloads:
            # A repeated document (cXML payloadID): the order is taken once.
            return 200, "text/xml", _status_document(200, "OK"), False
        self._order_payloads.add(payload_id)
        self.received_orders.append(
            {
                "order_id": head.get("orderID"),
                "items": [
                    (
                        _text(item, "ItemID/SupplierPartID"),
                        float(item.get("quantity")),
                    )
                    for item in root.findall("Request/OrderRequest/ItemOut")
                ],
            }
        )
        return 200, "text/xml", _status_document(200, "OK"), False
