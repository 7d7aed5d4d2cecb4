# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Activities written in the language of the user they are assigned to.

A scheduled job runs as the cron user, a portal action as the lessor's user:
neither is the one who reads the activity. The summary and the note are built
by a function given the record in the assignee's language, so that
``record.env._(...)`` and ``format_date(record.env, ...)`` speak that language.
"""


def user_lang(user):
    """The language ``user`` reads Odoo in (the company's when unset)."""
    user = user.sudo()
    return user.lang or user.company_id.partner_id.lang or "en_US"


def schedule_activity(record, user, text, act_type_xmlid="", **values):
    """Schedule on ``record`` an activity for ``user``.

    ``text(localized)`` gets ``record`` in the user's language and returns the
    ``(summary, note)`` to write; either may be ``False``. ``values`` are
    passed on to ``activity_schedule`` (deadline, activity type id...).
    """
    record.ensure_one()
    localized = record.with_context(lang=user_lang(user))
    if not record.env.user.email:
        # Odoo e-mails the assignee "assigned to you" from the current user,
        # and refuses to without a sender address: the activity is still
        # scheduled (it is in the assignee's list), without that e-mail.
        localized = localized.with_context(mail_activity_quick_update=True)
    summary, note = text(localized)
    # Scheduled from the localized record, so that the activity type's own
    # default summary and note are read in the user's language too.
    activity = localized.activity_schedule(
        act_type_xmlid,
        user_id=user.id,
        summary=summary or "",
        note=note or "",
        **values,
    )
    return activity and activity.with_env(record.env)
