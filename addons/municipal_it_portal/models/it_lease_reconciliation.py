# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class ItLeaseReconciliation(models.Model):
    _name = "it.lease.reconciliation"
    _inherit = ["it.lease.reconciliation", "portal.mixin", "it.lease.portal.mixin"]

    note = fields.Html(groups="base.group_user")
    check_note = fields.Char(groups="base.group_user")
    vendor_bill_id = fields.Many2one(groups="base.group_user")

    def _compute_access_url(self):
        for reconciliation in self:
            reconciliation.access_url = (
                f"/my/leasing/reconciliations/{reconciliation.id}"
            )

    def _it_portal_token_expired(self):
        self.ensure_one()
        return self.state == "accepted"

    def _portal_ensure_token(self):
        for reconciliation in self:
            if reconciliation._it_portal_token_expired():
                raise UserError(
                    self.env._(
                        "Reconciliation %(name)s is accepted: it can no longer be "
                        "shared by link.",
                        name=reconciliation.name,
                    )
                )
        return super()._portal_ensure_token()

    def _it_portal_responsible(self):
        self.ensure_one()
        record = self.sudo()
        if not record.company_id.it_portal_responsible_id:
            schedule = (
                self.env["it.lease.schedule"]
                .sudo()
                .search(
                    [
                        ("lessor_id", "=", record.lessor_id.id),
                        ("company_id", "=", record.company_id.id),
                        ("user_id.share", "=", False),
                    ],
                    limit=1,
                )
            )
            if schedule:
                return schedule.user_id
        return super()._it_portal_responsible()

    def action_dispute(self):
        result = super().action_dispute()
        self._it_portal_notify_lessor(
            "municipal_it_portal.mail_template_reconciliation_disputed"
        )
        return result

    @api.model
    def _it_portal_import_specification(self, month, content, filename):
        """Import the current portal user's lessor's invoice specification for
        ``month`` with the same importer and errors as inside Odoo: a bad row
        refuses the whole file, a month already imported is refused."""
        user = self.env.user
        if not user._is_portal():
            raise AccessError(
                self.env._("%(user)s is not a portal user of a lessor.", user=user.name)
            )
        lessor = user.commercial_partner_id
        company = user.company_id
        # Through the record rules, as the portal user: a lessor without a
        # schedule of this municipality has nothing to invoice here.
        if not self.env["it.lease.schedule"].search_count(
            [("company_id", "=", company.id)], limit=1
        ):
            raise AccessError(
                self.env._(
                    "%(lessor)s has no lease schedule with %(company)s.",
                    lessor=lessor.name,
                    company=company.name,
                )
            )
        # The lease addon's importer refuses a month already imported, in
        # its own words; replacing one is the municipality's decision.
        month = fields.Date.to_date(month).replace(day=1)
        reconciliation = (
            self.sudo()
            .with_company(company)
            ._import_specification(lessor, month, content, filename)
        )
        reconciliation = reconciliation.with_env(self.env)
        reconciliation._it_portal_log(
            lambda record: (
                Markup("<p>%s</p>")
                % record.env._(
                    "%(user)s uploaded the invoice specification %(file)s "
                    "(%(count)s rows, %(discrepancies)s discrepancies).",
                    user=user.name,
                    file=filename,
                    count=len(record.sudo().line_ids.filtered("row")),
                    discrepancies=record.sudo().discrepancy_count,
                ),
                record.env._("Lessor uploaded an invoice specification"),
            )
        )
        return reconciliation

    def _it_portal_answer(self, text):
        """The lessor's answer to a disputed reconciliation, in the chatter
        under the portal user's name."""
        self.ensure_one()
        user = self._it_portal_check_actor()
        if self.sudo().state != "disputed":
            raise UserError(
                self.env._(
                    "Reconciliation %(name)s is not disputed: there is nothing to "
                    "answer.",
                    name=self.sudo().name,
                )
            )
        return self._it_portal_post_dispute_answer(
            user,
            text,
            lambda record: record.env._("Lessor answered the invoice dispute"),
        )
