# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

INTERNAL = "base.group_user"
# What the recipient types on the receipt form goes into the custody chain:
# a place and seal numbers, not a text.
MAX_RECEIPT_TEXT = 200


class ItDisposalBatch(models.Model):
    _name = "it.disposal.batch"
    _inherit = ["it.disposal.batch", "portal.mixin", "it.lease.portal.mixin"]
    _it_portal_lessor_field = "recipient_id"

    # Users' names and the municipality's own accounting stay internal.
    user_id = fields.Many2one(groups=INTERNAL)
    handed_over_by_id = fields.Many2one(groups=INTERNAL)
    refund_move_id = fields.Many2one(groups=INTERNAL)
    damage_move_id = fields.Many2one(groups=INTERNAL)
    # Written by the reminder job: set by hand, the lessor would never be
    # reminded of that deadline.
    it_portal_reminded_deadline = fields.Date(
        string="Lessor Reminded For Deadline",
        readonly=True,
        copy=False,
        groups=INTERNAL,
        it_system=True,
        help="The receipt deadline the lessor was last reminded of: one "
        "reminder per deadline.",
    )

    def _compute_access_url(self):
        for batch in self:
            batch.access_url = f"/my/leasing/crates/{batch.id}"

    def _it_portal_token_expired(self):
        self.ensure_one()
        return self.state in ("draft", "settled")

    def _portal_ensure_token(self):
        for batch in self:
            if batch._it_portal_token_expired():
                raise UserError(
                    self.env._(
                        "Crate %(crate)s is %(state)s: it cannot be shared by link.",
                        crate=batch.display_name,
                        state=batch._state_label(),
                    )
                )
        return super()._portal_ensure_token()

    # Notifications to the lessor

    def _it_portal_notify_lessor(self, template_xmlid, **values):
        """The mail gives the crate's custody anchor (its log's head): what
        was given out is recorded, the recipient keeps its copy."""
        result = super()._it_portal_notify_lessor(template_xmlid, **values)
        self._give_custody_anchors("mail")
        return result

    def _after_collect(self):
        result = super()._after_collect()
        self._it_portal_notify_lessor(
            "municipal_it_portal_disposal.mail_template_crate_collected"
        )
        return result

    @api.model
    def _cron_it_portal_receipt_reminders(self):
        """Remind the lessor of crates whose receipt deadline is near and
        whose serials are not all confirmed; once per deadline."""
        today = fields.Date.context_today(self)
        batches = self.search(
            [
                ("state", "in", self._get_receipt_states()),
                ("receipt_deadline", ">=", today),
                ("line_ids.receipt_state", "=", "pending"),
            ]
        )
        for batch in batches:
            horizon = fields.Date.add(
                today, days=batch.company_id.it_portal_receipt_reminder_days
            )
            if (
                batch.receipt_deadline > horizon
                or batch.it_portal_reminded_deadline == batch.receipt_deadline
            ):
                continue
            pending = batch.line_ids.filtered(
                lambda line: line.receipt_state == "pending"
            )
            batch._it_portal_notify_lessor(
                "municipal_it_portal_disposal.mail_template_crate_receipt_reminder",
                it_portal_pending_serials=", ".join(pending.mapped("serial_no")),
            )
            # The job's own step: the field is written by nothing else.
            batch.sudo().write({"it_portal_reminded_deadline": batch.receipt_deadline})
        return True

    # What the lessor does in the portal

    @api.model
    def _it_portal_report_states(self):
        """States in which the recipient uploads sanitization reports in the
        portal."""
        return ("collected", "received", "sanitized", "graded", "disputed")

    def _it_portal_confirm_receipt(self, serials, seals_seen, location=None):
        """Confirm receipt of the scanned or pasted ``serials`` with the seal
        numbers seen, as the current portal user of the crate's recipient:
        a custody event and a chatter message name them."""
        self.ensure_one()
        user = self._it_portal_check_actor()
        for label, value in (
            (self.env._("Place"), location),
            (self.env._("Seal numbers"), seals_seen),
        ):
            if value and len(value) > MAX_RECEIPT_TEXT:
                raise UserError(
                    self.env._(
                        "%(what)s: %(length)s characters, %(limit)s at most.",
                        what=label,
                        length=len(value),
                        limit=MAX_RECEIPT_TEXT,
                    )
                )
        lines = self.sudo()._confirm_receipt(
            serials,
            fields.Date.context_today(self),
            seals_seen,
            user.name,
            location,
        )
        batch = self.sudo()
        pending = batch.line_ids.filtered(lambda line: line.receipt_state == "pending")
        received = ", ".join(lines.mapped("serial_no")) or "-"
        not_received = ", ".join(pending.mapped("serial_no"))

        def text(record):
            body = record.env._(
                "%(user)s confirmed receipt of %(count)s devices (%(serials)s), "
                "seals seen: %(seals)s.",
                user=user.name,
                count=len(lines),
                serials=received,
                seals=seals_seen or "-",
            )
            if not_received:
                body += " " + record.env._(
                    "Not received: %(serials)s.", serials=not_received
                )
            return (
                Markup("<p>%s</p>") % body,
                record.env._("Lessor confirmed a crate receipt"),
            )

        self._it_portal_log(text)
        return lines

    def _it_portal_grade(self, grades):
        """Record the grade, disposition and offered residual value per
        device: ``grades`` maps a crate line to a dict of those values."""
        self.ensure_one()
        user = self._it_portal_check_actor()
        batch = self.sudo()
        batch._check_state(*batch._get_grading_states())
        graded = self.env["it.disposal.batch.line"]
        for line, values in grades.items():
            if line.batch_id != batch:
                raise UserError(
                    self.env._(
                        "Device %(device)s is not in crate %(crate)s.",
                        device=line.sudo().equipment_id.display_name,
                        crate=batch.display_name,
                    )
                )
            # The form offers received devices only: a forged field of a
            # device still on its way is refused.
            if line.receipt_state != "received":
                raise UserError(
                    self.env._(
                        "Device %(serial)s: confirm its receipt before grading it.",
                        serial=line.serial_no,
                    )
                )
            if values.get("offered_value", 0.0) < 0:
                raise UserError(
                    self.env._(
                        "Device %(serial)s: the offered value cannot be negative.",
                        serial=line.serial_no,
                    )
                )
            line.sudo().write(values)
            graded |= line
        if not graded:
            raise UserError(self.env._("Grade at least one device."))
        self._it_portal_log(
            lambda record: (
                Markup("<p>%s</p><ul>%s</ul>")
                % (
                    record.env._("%(user)s graded devices:", user=user.name),
                    Markup("").join(
                        Markup("<li>%s</li>") % line._it_portal_grade_text()
                        for line in graded.sudo().with_env(record.env)
                    ),
                ),
                record.env._("Lessor graded devices"),
            )
        )
        return True

    def _it_portal_import_report(self, content, file_name):
        """Import a sanitization report for the crate with the disposal
        addon's importer: the same checks and all-or-nothing errors, in the
        states the page offers it, on the crate's devices only."""
        self.ensure_one()
        user = self._it_portal_check_actor()
        self.sudo()._check_state(*self._it_portal_report_states())
        # The lessor's report matches, creates and names nothing of the
        # register but the crate's devices (see it.wipe.report).
        report = (
            self.env["it.wipe.report"]
            .sudo()
            .with_context(it_portal_crate_id=self.id)
            ._import_file(content, file_name, batch=self.sudo())
        )
        self._it_portal_log(
            lambda record: (
                Markup("<p>%s</p>")
                % record.env._(
                    "%(user)s uploaded the sanitization report %(file)s "
                    "(%(count)s certificates, %(unmatched)s unmatched, "
                    "%(failed)s failed).",
                    user=user.name,
                    file=file_name,
                    count=report.certificate_count,
                    unmatched=report.unmatched_count,
                    failed=report.failed_count,
                ),
                record.env._("Lessor uploaded a sanitization report"),
            )
        )
        return report

    def _it_portal_answer_dispute(self, text):
        """The lessor's answer to the municipality's dispute, in the chatter
        under the portal user's name."""
        self.ensure_one()
        user = self._it_portal_check_actor()
        if self.sudo().state != "disputed":
            raise UserError(
                self.env._(
                    "Crate %(crate)s is not disputed: there is nothing to answer.",
                    crate=self.sudo().display_name,
                )
            )
        return self._it_portal_post_dispute_answer(
            user,
            text,
            lambda record: record.env._("Lessor answered the crate dispute"),
        )
