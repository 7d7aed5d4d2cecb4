# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError

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

    _sql_constraints = [
        (
            "sequence_uniq",
            "unique(batch_id, sequence)",
            "A crate's custody events are numbered without gaps or repeats.",
        ),
    ]

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
            super(ItCustodyEvent, event).write({"hash": event._compute_hash(last.hash)})
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
        their content: empty when the chain is intact."""
        broken = self.browse()
        for events in self.grouped("batch_id").values():
            previous = False
            expected_sequence = 1
            for event in events.sorted("sequence"):
                if (
                    event.sequence != expected_sequence
                    or (event.previous_hash or False) != (previous or False)
                    or event.hash != event._compute_hash(previous)
                ):
                    broken |= event
                previous = event.hash
                expected_sequence = event.sequence + 1
        return broken
