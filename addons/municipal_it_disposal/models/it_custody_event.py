# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import os
import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config

# The secret of the custody log's HMAC, kept outside the database: an
# odoo.conf option, else an environment variable. Without it, no HMAC.
HMAC_SECRET_OPTION = "it_custody_hmac_secret"
HMAC_SECRET_ENVIRON = "IT_CUSTODY_HMAC_SECRET"
# An anchor as given out: "#<sequence> <sha-256>" (or "<sequence>:<sha-256>"),
# or the bare hash.
ANCHOR_RE = re.compile(r"(?:#?(\d+)\s*[:\s]\s*)?\b([0-9a-fA-F]{64})\b")


def hmac_secret():
    """The HMAC secret from odoo.conf or the environment, or None."""
    secret = config.get(HMAC_SECRET_OPTION) or os.environ.get(HMAC_SECRET_ENVIRON)
    return secret or None


def parse_anchors(text):
    """[(sequence or None, hash)] of the anchors in ``text`` (the lessor's
    copy: pasted from the mails, the portal or the PDF), or of a list of
    such texts or of (sequence, hash) pairs."""
    if isinstance(text, (list, tuple)):
        anchors = []
        for item in text:
            if isinstance(item, (list, tuple)):
                anchors.append((int(item[0]) if item[0] else None, item[1].lower()))
            else:
                anchors.extend(parse_anchors(item))
        return anchors
    return [
        (int(sequence) if sequence else None, digest.lower())
        for sequence, digest in ANCHOR_RE.findall(text or "")
    ]


# The fields a custody event's hash covers, in this order.
HASHED_FIELDS = (
    "batch_id",
    "sequence",
    "event_type",
    "event_date",
    "user_id",
    "partner_id",
    "location",
    "device_count",
    "seal_numbers",
    "serials",
    "note",
)


class ItCustodyEvent(models.Model):
    """One link of a crate's chain of custody: who had it, when, where, how
    many devices and which seals. Never changed nor deleted; each event's
    SHA-256 covers its content and the previous event's hash."""

    _name = "it.custody.event"
    _description = "Chain of Custody Event"
    _order = "batch_id, sequence"
    _check_company_auto = True

    batch_id = fields.Many2one(
        comodel_name="it.disposal.batch",
        string="Return Crate",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="batch_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(required=True)
    event_type = fields.Selection(
        selection=[
            ("sealed", "Sealed"),
            ("collected", "Collected"),
            ("received", "Received"),
            ("incident", "Incident"),
            ("sanitized", "Sanitized"),
            ("graded", "Graded"),
            ("disputed", "Disputed"),
            ("agreed", "Dispute resolved"),
            ("settled", "Settled"),
        ],
        string="Event",
        required=True,
    )
    event_date = fields.Datetime(string="When", required=True)
    user_id = fields.Many2one("res.users", string="Recorded By", required=True)
    partner_id = fields.Many2one(
        "res.partner", string="Counterparty", help="Who took or gave the crate."
    )
    location = fields.Char(string="Where")
    device_count = fields.Integer(string="Devices")
    seal_numbers = fields.Char(string="Seals Seen")
    serials = fields.Text(help="Serial numbers this event is about.")
    note = fields.Text()
    previous_hash = fields.Char(readonly=True)
    hash = fields.Char(string="SHA-256", readonly=True)
    hmac = fields.Char(
        string="HMAC",
        readonly=True,
        help="HMAC-SHA256 of the hash with a secret kept outside the database "
        "(when configured): a rewrite of the log cannot recompute it.",
    )
    anchor = fields.Char(
        compute="_compute_anchor",
        help="The head of the crate's log after this event, as given to the "
        "recipient: compare it with the recipient's copy.",
    )

    _sql_constraints = [
        (
            "sequence_uniq",
            "unique(batch_id, sequence)",
            "A crate's custody events are numbered without gaps or repeats.",
        ),
    ]

    @api.depends("sequence", "hash")
    def _compute_anchor(self):
        for event in self:
            event.anchor = f"#{event.sequence} {event.hash}" if event.hash else False

    @api.model
    def _compute_hmac(self, digest):
        """HMAC-SHA256 of ``digest`` with the secret, or False without one."""
        secret = hmac_secret()
        if not secret or not digest:
            return False
        return hmac.new(secret.encode(), digest.encode(), hashlib.sha256).hexdigest()

    def _compute_hash(self, previous_hash):
        self.ensure_one()
        parts = [previous_hash or ""]
        for name in HASHED_FIELDS:
            value = self[name]
            if isinstance(value, models.BaseModel):
                value = value.id
            elif name == "event_date":
                value = fields.Datetime.to_string(value)
            parts.append("" if value is False or value is None else str(value))
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @api.model_create_multi
    def create(self, vals_list):
        events = self.browse()
        for vals in vals_list:
            batch = self.env["it.disposal.batch"].browse(vals["batch_id"])
            # The lock serialises two events of the same crate, so both cannot
            # chain onto the same predecessor.
            self.env.cr.execute(
                "SELECT id FROM it_disposal_batch WHERE id = %s FOR UPDATE",
                [batch.id],
            )
            last = self.sudo().search(
                [("batch_id", "=", batch.id)], order="sequence desc", limit=1
            )
            vals = dict(
                vals,
                sequence=last.sequence + 1,
                previous_hash=last.hash or False,
                event_date=vals.get("event_date") or fields.Datetime.now(),
                user_id=vals.get("user_id") or self.env.uid,
            )
            event = super().create([vals])
            # Through super().write: our own write() refuses every change.
            digest = event._compute_hash(last.hash)
            super(ItCustodyEvent, event).write(
                {"hash": digest, "hmac": self._compute_hmac(digest)}
            )
            events |= event
        return events

    # The log is append-only: every write is refused, so nothing to pass to super().
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(
            self.env._(
                "Chain of custody events cannot be changed: record a new event instead."
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Chain of custody events cannot be deleted."))

    def _check_chain(self):
        """The events (of these crates) whose hash or link no longer matches
        their content, or (with the secret configured) whose HMAC does not
        match their hash: empty when the chain is intact."""
        broken = self.browse()
        secret = hmac_secret()
        for events in self.grouped("batch_id").values():
            previous = False
            expected_sequence = 1
            for event in events.sorted("sequence"):
                if (
                    event.sequence != expected_sequence
                    or (event.previous_hash or False) != (previous or False)
                    or event.hash != event._compute_hash(previous)
                    or (
                        secret
                        and not hmac.compare_digest(
                            event.hmac or "", self._compute_hmac(event.hash) or ""
                        )
                    )
                ):
                    broken |= event
                previous = event.hash
                expected_sequence = event.sequence + 1
        return broken
