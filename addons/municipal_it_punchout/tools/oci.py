# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCI 5.0 (SAP Open Catalog Interface): the cart comes back as a form posted
by the browser to the ``HOOK_URL``, one ``NEW_ITEM-<FIELD>[n]`` field per item
and field, the long text as ``NEW_ITEM-LONGTEXT_n:132[]`` lines."""

import re

from odoo.exceptions import UserError

ITEM_FIELD = re.compile(r"^NEW_ITEM-([A-Z_]+)\[(\d{1,6})\]$")
LONGTEXT_FIELD = re.compile(r"^NEW_ITEM-LONGTEXT_(\d{1,6}):132\[\]$")

# OCI field -> key of the cart item.
FIELDS = {
    "DESCRIPTION": "description",
    "QUANTITY": "quantity",
    "UNIT": "unit",
    "PRICE": "price",
    "PRICEUNIT": "price_unit_of",
    "CURRENCY": "currency",
    "VENDORMAT": "code",
    "MATGROUP": "matgroup",
    "MATNR": "matnr",
    "EXT_PRODUCT_ID": "ext_product_id",
    "VENDOR": "vendor",
    "LEADTIME": "leadtime",
}


def login_fields(username, password, hook_url):
    """The fields the browser posts to the shop's URL to open it."""
    return {
        "USERNAME": username or "",
        "PASSWORD": password or "",
        "HOOK_URL": hook_url,
        "~TARGET": "_top",
        "~OkCode": "ADDI",
        "~caller": "CTLG",
    }


def cart_items(env, form):
    """The items of an OCI return: ``form`` maps a field name to its list of
    values. A list of dicts (line, code, description, quantity, unit, price,
    currency, matgroup, longtext), as text, ordered by item number."""
    items = {}
    for name, values in form.items():
        match = ITEM_FIELD.match(name)
        if match and match.group(1) in FIELDS:
            item = items.setdefault(int(match.group(2)), {})
            item[FIELDS[match.group(1)]] = (values[0] if values else "").strip()
            continue
        match = LONGTEXT_FIELD.match(name)
        if match:
            item = items.setdefault(int(match.group(1)), {})
            item["longtext"] = "\n".join(v.strip() for v in values if v.strip())
    result = []
    for number in sorted(items):
        item = items[number]
        if not item.get("description") and not item.get("code"):
            raise UserError(
                env._(
                    "Cart item %(line)s has neither a description nor a product code.",
                    line=number,
                )
            )
        price = item.get("price", "")
        per = item.get("price_unit_of", "") or "1"
        result.append(
            {
                "line": number,
                "code": item.get("code") or item.get("ext_product_id") or "",
                "description": item.get("description", ""),
                "quantity": item.get("quantity", ""),
                "unit": item.get("unit", ""),
                "price": price,
                "price_per": per,
                "currency": item.get("currency", ""),
                "matgroup": item.get("matgroup", ""),
                "longtext": item.get("longtext", ""),
            }
        )
    return result
