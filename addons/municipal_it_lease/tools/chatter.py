# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an action did, written in the record's chatter.

``message_post`` refuses to write anything for an author without an e-mail
address ("Unable to send message, please configure the sender's email
address"): a user or an integration account without one could then not post
a month, apply a plan change or an import. These notes e-mail nobody, so
they are logged the way Odoo logs its own tracking: as an internal note of
the current user, which needs no e-mail address. Every caller has checked
the user's rights already (``_message_log`` writes as superuser).
"""


def log_note(record, body):
    """Write ``body`` (text, escaped, or Markup) in ``record``'s chatter as an
    internal note of the current user; return the message."""
    return record._message_log(body=body, message_type="comment")
