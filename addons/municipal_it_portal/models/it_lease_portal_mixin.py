# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup, escape

from odoo import models
from odoo.exceptions import AccessError, UserError

from odoo.addons.municipal_it_lease.tools.activity import schedule_activity

INTERNAL = "base.group_user"
# A lessor's answer to a dispute goes to the chatter and the responsible's
# activity: a letter, not a file.
MAX_ANSWER_LENGTH = 10000


class ItLeasePortalMixin(models.AbstractModel):
    """What a lessor's portal user may do on a record of their lessor, and who
    hears of it: the rules every portal route goes through."""

    _name = "it.lease.portal.mixin"
    _description = "Lessor Portal Actions"

    # The field holding the municipality's responsible of a record.
    _it_portal_responsible_field = "user_id"
    # The field holding the lessor (or recipient) partner of a record.
    _it_portal_lessor_field = "lessor_id"

    def _it_portal_token_expired(self):
        """Whether a link shared to this record no longer opens it: its
        life in the lessor's hands has ended (accepted, settled, archived)."""
        self.ensure_one()
        return False

    def write(self, vals):
        res = super().write(vals)
        # A shared link expires with its record, whatever step ended it.
        expired = self.filtered(
            lambda record: record.access_token and record._it_portal_token_expired()
        )
        if expired:
            expired.write({"access_token": False})
        return res

    def _it_portal_lessor(self):
        self.ensure_one()
        return self.sudo()[self._it_portal_lessor_field].commercial_partner_id

    def _it_portal_check_actor(self):
        """The current user if they are a portal user of the records' lessor
        who may read them through the record rules; AccessError otherwise.
        The rules are checked as that user, before any sudo."""
        user = self.env.user
        if not user._is_portal():
            raise AccessError(
                self.env._(
                    "%(user)s is not a portal user of a lessor: this step is done "
                    "in the lessor portal.",
                    user=user.name,
                )
            )
        self.check_access("read")
        lessor = user.commercial_partner_id
        for record in self:
            if record._it_portal_lessor() != lessor:
                raise AccessError(
                    self.env._(
                        "%(user)s is not a contact of the lessor of %(record)s.",
                        user=user.name,
                        record=record.sudo().display_name,
                    )
                )
        return user

    def _it_portal_responsible(self):
        """The internal user who follows up what the lessor did."""
        self.ensure_one()
        record = self.sudo()
        responsible = record.company_id.it_portal_responsible_id
        if not responsible and self._it_portal_responsible_field in record._fields:
            responsible = record[self._it_portal_responsible_field]
        return responsible.filtered(lambda user: not user.share) or self.env.ref(
            "base.user_admin"
        )

    def _it_portal_log(self, text):
        """Post what the portal user did in the chatter, under their name and
        in their language, and give the municipality's responsible an
        activity to follow it up, in the responsible's language.

        ``text(record)`` returns the ``(body, summary)`` in the language of
        the record's environment.
        """
        author = self.env.user.partner_id
        for record in self:
            body, _summary = text(record)
            record.sudo().message_post(
                body=body,
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            schedule_activity(
                record.sudo(),
                record._it_portal_responsible(),
                lambda localized: tuple(reversed(text(localized))),
                "municipal_it_portal.mail_activity_type_lessor_portal",
            )

    def _it_portal_post_dispute_answer(self, user, answer, summary):
        """Post the portal user's answer to a dispute, as :meth:`_it_portal_log`
        does, ``summary(record)`` giving the activity's summary; an empty
        answer is refused."""
        if not (answer or "").strip():
            raise UserError(self.env._("Write your answer."))
        if len(answer) > MAX_ANSWER_LENGTH:
            raise UserError(
                self.env._(
                    "Your answer is %(length)s characters long; shorten it to "
                    "%(limit)s at most, or send the details as a file.",
                    length=len(answer),
                    limit=MAX_ANSWER_LENGTH,
                )
            )
        self._it_portal_log(
            lambda record: (
                Markup("<p>%s</p><p>%s</p>")
                % (
                    record.env._("Answer of %(user)s to the dispute:", user=user.name),
                    escape(answer.strip()),
                ),
                summary(record),
            )
        )
        return True

    def _it_portal_lessor_partners(self):
        """Partners of the lessor's portal users of the record's company."""
        self.ensure_one()
        record = self.sudo()
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", record._it_portal_lessor().id),
                    ("share", "=", True),
                    ("company_ids", "in", record.company_id.ids),
                ]
            )
        )
        return users.partner_id

    def _it_portal_notify_lessor(self, template_xmlid, **values):
        """Tell the lessor's portal users by e-mail with the template, through
        the mail queue, in the municipality's name (no clerk's name reaches
        the lessor): one message per language of the contacts, each in that
        language. ``values`` go to the template's context."""
        template = self.env.ref(template_xmlid)
        for record in self.sudo():
            partners = record._it_portal_lessor_partners()
            for lang, lang_partners in partners.grouped("lang").items():
                record.with_context(
                    mail_notify_force_send=False,
                    it_portal_recipient_lang=lang,
                    **values,
                ).message_post_with_source(
                    template,
                    author_id=record.company_id.partner_id.id,
                    partner_ids=lang_partners.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
