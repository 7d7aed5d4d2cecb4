# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.municipal_it_portal.controllers.portal import (
    MAX_UPLOAD_BYTES,
    LeasingPortal,
)


class LeasingPortalCrates(LeasingPortal):
    """Return crates in the lessor's Leasing section: receipt per serial
    with the seals seen, grades and offered values, sanitization reports and
    the answer to a dispute."""

    def _leasing_counters(self):
        return dict(super()._leasing_counters(), it_crate_count="it.disposal.batch")

    @http.route(
        ["/my/leasing/crates", "/my/leasing/crates/page/<int:page>"],
        type="http",
        auth="user",
        readonly=True,
        website=True,
    )
    def portal_my_lease_crates(self, page=1, **kw):
        return self._leasing_list(
            "it.disposal.batch",
            "/my/leasing/crates",
            page,
            "municipal_it_portal_disposal.portal_my_lease_crates",
            "crates",
            "lease_crates",
        )

    @http.route(
        "/my/leasing/crates/<int:crate_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_lease_crate(self, crate_id, access_token=None, done=None, **kw):
        crate = self._leasing_check_access("it.disposal.batch", crate_id, access_token)
        return self._render_crate(crate, access_token, done=done)

    def _render_crate(self, crate, access_token=None, done=None, error=None, form=None):
        values = self._get_page_view_values(
            crate,
            access_token,
            {
                "crate": crate,
                "lines": crate.line_ids,
                "pending": crate.line_ids.filtered(
                    lambda line: line.receipt_state == "pending"
                ),
                "events": crate.event_ids.sorted("sequence"),
                "messages": self._leasing_public_messages(crate),
                "page_name": "lease_crate",
                "done": done,
                "error": error,
                "error_form": form,
                "can_act": not access_token
                and request.env.user._is_portal()
                and crate.state not in ("draft", "settled"),
            },
            "my_lease_crates_history",
            False,
        )
        return request.render(
            "municipal_it_portal_disposal.portal_my_lease_crate", values
        )

    def _crate_action(self, crate_id, form, method, *args):
        """Run a portal action on the crate as the user; a refused input is
        shown on the page, nothing of it kept."""
        crate_sudo = self._leasing_check_access("it.disposal.batch", crate_id)
        crate = request.env["it.disposal.batch"].browse(crate_id)
        try:
            with request.env.cr.savepoint():
                getattr(crate, method)(*args)
        except AccessError as exc:
            raise Forbidden() from exc
        except UserError as exc:
            return self._render_crate(crate_sudo, error=exc.args[0], form=form)
        return request.redirect(f"{crate_sudo.access_url}?done={form}")

    @http.route(
        "/my/leasing/crates/<int:crate_id>/receipt",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_lease_crate_receipt(self, crate_id, serials=None, seals=None, **kw):
        return self._crate_action(
            crate_id,
            "receipt",
            "_it_portal_confirm_receipt",
            serials or "",
            (seals or "").strip(),
            (kw.get("location") or "").strip() or None,
        )

    @http.route(
        "/my/leasing/crates/<int:crate_id>/grade",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_lease_crate_grade(self, crate_id, **kw):
        crate_sudo = self._leasing_check_access("it.disposal.batch", crate_id)
        # The choices are the crate line's own (an addon may add some).
        line_fields = request.env["it.disposal.batch.line"]._fields
        choices = line_fields["grade"].get_values(request.env)
        dispositions = line_fields["disposition"].get_values(request.env)
        grades = {}
        try:
            for line in crate_sudo.line_ids:
                grade = kw.get(f"grade_{line.id}") or ""
                if not grade:
                    continue
                disposition = kw.get(f"disposition_{line.id}") or False
                if grade not in choices or (
                    disposition and disposition not in dispositions
                ):
                    raise UserError(
                        request.env._(
                            "Device %(serial)s: choose a grade from the list.",
                            serial=line.serial_no,
                        )
                    )
                value_text = (kw.get(f"value_{line.id}") or "0").replace(",", ".")
                try:
                    value = float(value_text)
                    if not math.isfinite(value):
                        raise ValueError(value_text)
                except ValueError as exc:
                    raise UserError(
                        request.env._(
                            "Device %(serial)s: %(value)r is not an amount.",
                            serial=line.serial_no,
                            value=value_text,
                        )
                    ) from exc
                values = {"grade": grade, "offered_value": value}
                if disposition:
                    values["disposition"] = disposition
                grades[line.with_env(request.env)] = values
        except UserError as exc:
            return self._render_crate(crate_sudo, error=exc.args[0], form="grade")
        return self._crate_action(crate_id, "grade", "_it_portal_grade", grades)

    @http.route(
        "/my/leasing/crates/<int:crate_id>/report",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_lease_crate_report(self, crate_id, file=None, **kw):
        content = file.read(MAX_UPLOAD_BYTES + 1) if file else b""
        if not content or len(content) > MAX_UPLOAD_BYTES:
            crate_sudo = self._leasing_check_access("it.disposal.batch", crate_id)
            return self._render_crate(
                crate_sudo,
                error=request.env._("Choose a report file of at most 10 MB."),
                form="report",
            )
        return self._crate_action(
            crate_id, "report", "_it_portal_import_report", content, file.filename
        )

    @http.route(
        "/my/leasing/crates/<int:crate_id>/answer",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_lease_crate_answer(self, crate_id, answer=None, **kw):
        return self._crate_action(
            crate_id, "answer", "_it_portal_answer_dispute", answer or ""
        )
