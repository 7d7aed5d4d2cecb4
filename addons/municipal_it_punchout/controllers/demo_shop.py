# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import http
from odoo.http import request
from odoo.tools import str2bool

from ..tools.demo_shop import DemoShop

ENABLE_PARAMETER = "municipal_it_punchout.demo_shop"


class PunchoutDemoShopController(http.Controller):
    @http.route(
        "/punchout_demo_shop/<path:subpath>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def demo_shop(self, subpath, **kwargs):
        """The simulated reseller's shop, when the system parameter
        ``municipal_it_punchout.demo_shop`` enables it (demo data does)."""
        enabled = request.env["ir.config_parameter"].sudo().get_param(ENABLE_PARAMETER)
        if not str2bool(enabled or "0", default=False):
            return request.not_found()
        httprequest = request.httprequest
        shop = DemoShop(f"{httprequest.host_url.rstrip('/')}/punchout_demo_shop")
        form = httprequest.values.to_dict(flat=False)
        body = httprequest.get_data() if not httprequest.form else b""
        status, content_type, content, is_page = shop.handle(
            httprequest.method, f"/{subpath}", form, body
        )
        if is_page:
            return request.render(
                "municipal_it_punchout.demo_shop_page",
                {"body": Markup(content)},
                status=status,
            )
        return request.make_response(
            content, headers=[("Content-Type", content_type)], status=status
        )
