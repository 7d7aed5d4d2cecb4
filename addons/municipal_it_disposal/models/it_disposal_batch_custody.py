# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from odoo import fields, models

from .it_custody_event import parse_anchors


class ItDisposalBatch(models.Model):
    """A crate's chain of custody anchored outside the database: the head of
    its log given to the recipient (mails, portal, custody document), the
    anchors given out recorded, and the log verified against the
    recipient's copy."""

    _inherit = "it.disposal.batch"

    anchor_ids = fields.One2many(
        "it.custody.anchor", "batch_id", string="Anchors Given Out"
    )

    # Anchors of the chain of custody, given to the other party

    def _get_custody_anchor(self):
        """The head of the crate's chain of custody as given out: "#<event
        sequence> <SHA-256>", or False before the first event."""
        self.ensure_one()
        head = self.event_ids.sorted("sequence")[-1:]
        return head.anchor or False

    def _give_custody_anchors(self, channel, partner=None, events=None):
        """Record that the head (or each of ``events``) was given to
        ``partner`` by ``channel``; returns the anchors recorded."""
        # Whoever may read a crate may give out its head; the record of it
        # is the app's own (no user creates anchors).
        self.check_access("read")
        vals_list = []
        for batch in self:
            if events is None:
                given = batch.event_ids.sorted("sequence")[-1:]
            else:
                given = events.filtered(
                    lambda event, batch=batch: event.batch_id == batch
                )
            vals_list += [
                {
                    "batch_id": batch.id,
                    "sequence": event.sequence,
                    "hash": event.hash,
                    "channel": channel,
                    "partner_id": (partner or batch.recipient_id).id,
                }
                for event in given
            ]
        return self.env["it.custody.anchor"].sudo().create(vals_list)

    def _verify_custody(self, anchors=None):
        """Verify the crate's chain of custody: each event's hash and link
        (and HMAC, with the secret configured), and the anchors the other
        party holds (``anchors``: the text or list of "#<sequence> <hash>"
        pasted from its mails and custody documents; by default the anchors
        recorded as given out). Returns {"intact", "first_sequence",
        "problems"}: the first event that disagrees, and why."""
        self.ensure_one()
        events = self.sudo().event_ids.sorted("sequence")
        problems = []
        for event in events._check_chain():
            problems.append(
                (
                    event.sequence,
                    self.env._(
                        "event #%(sequence)s no longer matches its hash or link",
                        sequence=event.sequence,
                    ),
                )
            )
        if anchors is None:
            given = [
                (anchor.sequence, anchor.hash) for anchor in self.sudo().anchor_ids
            ]
        else:
            given = parse_anchors(anchors)
        by_sequence = {event.sequence: event for event in events}
        for position, (sequence, digest) in enumerate(given, start=1):
            # A bare hash is the position's event of a complete copy.
            sequence = sequence or position
            event = by_sequence.get(sequence)
            if not event or event.hash != digest:
                problems.append(
                    (
                        sequence,
                        self.env._(
                            "event #%(sequence)s differs from the anchor the "
                            "recipient holds (%(hash)s…)",
                            sequence=sequence,
                            hash=digest[:16],
                        ),
                    )
                )
        problems.sort(key=lambda problem: problem[0])
        return {
            "intact": not problems,
            "first_sequence": problems[0][0] if problems else False,
            "problems": [text for _sequence, text in problems],
        }

    def action_open_verify_custody(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Verify Chain of Custody"),
            "res_model": "it.custody.verify",
            "view_mode": "form",
            "target": "new",
            "context": {"default_batch_id": self.id},
        }
