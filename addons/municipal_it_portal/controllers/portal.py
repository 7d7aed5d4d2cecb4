# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Counter of the portal home -> model whose records the user may read.
LEASING_COUNTERS = {
    "it_agreement_count": "it.lease.agreement",
    "it_schedule_count": "it.lease.schedule",
    "it_device_count": "maintenance.equipment",
    "it_reconciliation_count": "it.lease.reconciliation",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class LeasingPortal(CustomerPortal):
    """The lessor's Leasing section of *My Account*. Lists search as the
    portal user (record rules decide); a detail page goes through
    ``_document_check_access`` first and answers 404 or 403."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for counter, model in self._leasing_counters().items():
            if counter in counters:
                Model = request.env[model]
                values[counter] = (
                    Model.search_count(self._leasing_domain(model))
                    if Model.has_access("read")
                    else 0
                )
        if "it_reconciliation_count" in counters and not values.get(
            "it_reconciliation_count"
        ):
            # The card also holds the upload of the first specification: a
            # lessor with a schedule sees it before anything is reconciled.
            Schedule = request.env["it.lease.schedule"]
            values["it_reconciliation_count"] = (
                Schedule.search_count([], limit=1) if Schedule.has_access("read") else 0
            )
        return values

    def _leasing_counters(self):
        return LEASING_COUNTERS

    def _leasing_domain(self, model):
        """What a list shows of what the rules let the user read."""
        if model == "maintenance.equipment":
            return [("lessor_id", "!=", False)]
        return []

    def _leasing_check_access(self, model, record_id, access_token=None):
        """The record, sudoed, once the user may read it through the record
        rules, or holds a valid token of a record whose state still allows
        sharing; 404 if it does not exist, 403 otherwise."""
        try:
            record_sudo = self._document_check_access(
                model, record_id, access_token=access_token
            )
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error
        if (
            access_token
            and not request.env[model].browse(record_id).has_access("read")
            and record_sudo._it_portal_token_expired()
        ):
            raise Forbidden()
        return record_sudo

    def _leasing_list(self, model, url, page, template, key, page_name, order=None):
        Model = request.env[model]
        if not Model.has_access("read"):
            raise Forbidden()
        domain = self._leasing_domain(model)
        values = self._prepare_portal_layout_values()
        pager = portal_pager(
            url=url,
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Model.search(
            domain, order=order, limit=self._items_per_page, offset=pager["offset"]
        )
        values.update(
            {
                # Read by the rules above; rendered sudo so that related
                # names (products, currencies) need no extra rights.
                key: records.sudo(),
                "page_name": page_name,
                "pager": pager,
                "default_url": url,
            }
        )
        values.update(self._leasing_list_values(model, records))
        return request.render(template, values)

    def _leasing_list_values(self, model, records):
        """Values a list page needs beside its rows (``records``)."""
        if model == "it.lease.schedule":
            return {"schedule_totals": self._leasing_schedule_totals(records)}
        return {}

    def _leasing_schedule_totals(self, schedules):
        """{schedule id: (devices, monthly rent)} of the listed schedules, as
        their ``line_count``/``monthly_rent_total`` count them (a device once,
        at its latest rent), in one grouped query: reading those fields loads
        every lease line of the lessor, a third of a city's devices, to show
        one page of schedules."""
        groups = (
            request.env["it.lease.line"]
            .sudo()
            ._read_group(
                [
                    ("schedule_id", "in", schedules.ids),
                    ("continued_by_id", "=", False),
                ],
                ["schedule_id"],
                ["equipment_id:count_distinct", "monthly_rent:sum"],
            )
        )
        return {schedule.id: (count, rent) for schedule, count, rent in groups}

    # Agreements

    @http.route(
        ["/my/leasing/agreements", "/my/leasing/agreements/page/<int:page>"],
        type="http",
        auth="user",
        readonly=True,
        website=True,
    )
    def portal_my_lease_agreements(self, page=1, **kw):
        return self._leasing_list(
            "it.lease.agreement",
            "/my/leasing/agreements",
            page,
            "municipal_it_portal.portal_my_lease_agreements",
            "agreements",
            "lease_agreements",
        )

    @http.route(
        "/my/leasing/agreements/<int:agreement_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_lease_agreement(self, agreement_id, access_token=None, **kw):
        agreement = self._leasing_check_access(
            "it.lease.agreement", agreement_id, access_token
        )
        values = self._get_page_view_values(
            agreement,
            access_token,
            {"agreement": agreement, "page_name": "lease_agreement"},
            "my_lease_agreements_history",
            False,
        )
        return request.render("municipal_it_portal.portal_my_lease_agreement", values)

    # Schedules

    @http.route(
        ["/my/leasing/schedules", "/my/leasing/schedules/page/<int:page>"],
        type="http",
        auth="user",
        readonly=True,
        website=True,
    )
    def portal_my_lease_schedules(self, page=1, **kw):
        return self._leasing_list(
            "it.lease.schedule",
            "/my/leasing/schedules",
            page,
            "municipal_it_portal.portal_my_lease_schedules",
            "schedules",
            "lease_schedules",
        )

    @http.route(
        "/my/leasing/schedules/<int:schedule_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_lease_schedule(self, schedule_id, access_token=None, **kw):
        schedule = self._leasing_check_access(
            "it.lease.schedule", schedule_id, access_token
        )
        values = self._get_page_view_values(
            schedule,
            access_token,
            {
                "schedule": schedule,
                "lines": schedule.line_ids.filtered(
                    lambda line: line.state != "cancelled"
                ),
                "page_name": "lease_schedule",
            },
            "my_lease_schedules_history",
            False,
        )
        return request.render("municipal_it_portal.portal_my_lease_schedule", values)

    # Devices

    @http.route(
        ["/my/leasing/devices", "/my/leasing/devices/page/<int:page>"],
        type="http",
        auth="user",
        readonly=True,
        website=True,
    )
    def portal_my_lease_devices(self, page=1, **kw):
        return self._leasing_list(
            "maintenance.equipment",
            "/my/leasing/devices",
            page,
            "municipal_it_portal.portal_my_lease_devices",
            "devices",
            "lease_devices",
            order="serial_no, id",
        )

    @http.route(
        "/my/leasing/devices/<int:device_id>",
        type="http",
        auth="user",
        readonly=True,
        website=True,
    )
    def portal_my_lease_device(self, device_id, **kw):
        device = self._leasing_check_access("maintenance.equipment", device_id)
        values = self._prepare_portal_layout_values()
        values.update({"device": device, "page_name": "lease_device"})
        return request.render("municipal_it_portal.portal_my_lease_device", values)

    # Invoice reconciliations

    @http.route(
        ["/my/leasing/reconciliations", "/my/leasing/reconciliations/page/<int:page>"],
        type="http",
        auth="user",
        readonly=True,
        website=True,
    )
    def portal_my_lease_reconciliations(self, page=1, **kw):
        return self._leasing_list(
            "it.lease.reconciliation",
            "/my/leasing/reconciliations",
            page,
            "municipal_it_portal.portal_my_lease_reconciliations",
            "reconciliations",
            "lease_reconciliations",
        )

    @http.route(
        "/my/leasing/reconciliations/<int:reconciliation_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_lease_reconciliation(
        self, reconciliation_id, access_token=None, **kw
    ):
        reconciliation = self._leasing_check_access(
            "it.lease.reconciliation", reconciliation_id, access_token
        )
        # Only the flag of the answer's redirect is read from the query
        # string: an ``error`` in a link is no message of this site.
        return self._render_reconciliation(
            reconciliation, access_token, answered=kw.get("answered")
        )

    def _render_reconciliation(
        self, reconciliation, access_token, error=None, answered=None
    ):
        values = self._get_page_view_values(
            reconciliation,
            access_token,
            {
                "reconciliation": reconciliation,
                "discrepancies": reconciliation.line_ids.filtered(
                    lambda line: line.status != "matched"
                ),
                "messages": self._leasing_public_messages(reconciliation),
                "page_name": "lease_reconciliation",
                "error": error,
                "answered": answered,
            },
            "my_lease_reconciliations_history",
            False,
        )
        return request.render(
            "municipal_it_portal.portal_my_lease_reconciliation", values
        )

    def _leasing_public_messages(self, record_sudo):
        """Discussion messages only: internal notes and tracking stay inside."""
        comment = request.env.ref("mail.mt_comment")
        return record_sudo.message_ids.filtered(
            lambda message: (
                message.subtype_id == comment and message.message_type == "comment"
            )
        )

    @http.route(
        "/my/leasing/reconciliations/upload",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_lease_reconciliation_upload(self, month=None, file=None, **kw):
        Reconciliation = request.env["it.lease.reconciliation"]
        error = None
        content = file.read(MAX_UPLOAD_BYTES + 1) if file else b""
        if not content:
            error = request.env._("Choose the specification file to upload.")
        elif len(content) > MAX_UPLOAD_BYTES:
            error = request.env._("The file is larger than 10 MB.")
        else:
            try:
                month_date = fields.Date.to_date(f"{month}-01" if month else None)
            except ValueError:
                month_date = None
            if not month_date:
                error = request.env._("Give the month invoiced (YYYY-MM).")
        if not error:
            try:
                with request.env.cr.savepoint():
                    reconciliation = Reconciliation._it_portal_import_specification(
                        month_date, content, file.filename
                    )
            except AccessError as exc:
                raise Forbidden() from exc
            except UserError as exc:
                error = exc.args[0]
            else:
                return request.redirect(reconciliation.access_url)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "reconciliations": Reconciliation.search([]).sudo()[:20],
                "page_name": "lease_reconciliations",
                "pager": False,
                "default_url": "/my/leasing/reconciliations",
                "upload_error": error,
                "upload_month": month,
            }
        )
        return request.render(
            "municipal_it_portal.portal_my_lease_reconciliations", values
        )

    @http.route(
        "/my/leasing/reconciliations/<int:reconciliation_id>/answer",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_lease_reconciliation_answer(
        self, reconciliation_id, answer=None, **kw
    ):
        reconciliation_sudo = self._leasing_check_access(
            "it.lease.reconciliation", reconciliation_id
        )
        reconciliation = request.env["it.lease.reconciliation"].browse(
            reconciliation_id
        )
        try:
            with request.env.cr.savepoint():
                reconciliation._it_portal_answer(answer)
        except AccessError as exc:
            raise Forbidden() from exc
        except UserError as exc:
            return self._render_reconciliation(
                reconciliation_sudo, None, error=exc.args[0]
            )
        return request.redirect(f"{reconciliation_sudo.access_url}?answered=1")
