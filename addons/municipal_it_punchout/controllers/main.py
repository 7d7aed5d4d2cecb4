# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

NO_STORE = [
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
]


class PunchoutController(http.Controller):
    @http.route(
        "/punchout/start/<int:session_id>", type="http", auth="user", methods=["GET"]
    )
    def punchout_start(self, session_id):
        """The OCI login form, posted to the shop by the browser itself."""
        session = request.env["it.punchout.session"].browse(session_id).exists()
        try:
            if not session:
                raise UserError(request.env._("Unknown punchout session."))
            session.check_access("read")
            session._check_open()
            values = {
                "action": session.account_id._url("shop_url"),
                "fields": session._oci_login_fields(),
                "shop": session.account_id.display_name,
            }
        except (UserError, AccessError) as exc:
            return self._error(exc.args[0])
        return request.render(
            "municipal_it_punchout.punchout_oci_login", values, headers=NO_STORE
        )

    @http.route(
        "/punchout/return/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def punchout_return(self, token, **kwargs):
        """The cart posted back by the shop (a cross-site form post, so
        without Odoo's CSRF token and often without the session cookie): it
        is accepted for the user whose session the one-time token is."""
        session = (
            request.env["it.punchout.session"]
            .sudo()
            .search([("token", "=", token)], limit=1)
        )
        if not session:
            return self._error(request.env._("Unknown punchout session."), 404)
        user = session.user_id
        env = request.env(user=user.id, su=False, context={"lang": user.lang})
        logged_in = request.session.uid
        if logged_in and logged_in != user.id:
            return self._error(
                env._("This cart belongs to a punchout session of another user."), 403
            )
        httprequest = request.httprequest
        max_bytes = session.account_id.max_bytes
        if (httprequest.content_length or 0) > max_bytes:
            return self._error(
                env._(
                    "The cart is %(size)s bytes, more than the %(max)s bytes "
                    "allowed: refused.",
                    size=httprequest.content_length,
                    max=max_bytes,
                )
            )
        form = httprequest.form.to_dict(flat=False)
        size = sum(
            len(key) + sum(len(value) for value in values)
            for key, values in form.items()
        )
        try:
            order = session.with_env(env)._receive_cart(form, size)
        except (UserError, ValidationError, AccessError) as exc:
            _logger.info(
                "Punchout cart refused for session %s: %s", session.id, exc.args[0]
            )
            return self._error(exc.args[0])
        return request.redirect(
            f"/odoo/action-municipal_it_purchase.purchase_order_action_it/{order.id}",
            local=True,
        )

    def _error(self, message, status=400):
        return request.render(
            "municipal_it_punchout.punchout_error",
            {"message": message},
            status=status,
            headers=NO_STORE,
        )
