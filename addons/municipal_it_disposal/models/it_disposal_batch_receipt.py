# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from odoo.addons.municipal_it_lease.tools.activity import schedule_activity

from .it_disposal_batch import split_seals


class ItDisposalBatch(models.Model):
    """A crate's receipt by the recipient: per serial, with the seals seen
    (a mismatch is an incident), its deadlines and the reminders once they
    pass."""

    _inherit = "it.disposal.batch"

    received_date = fields.Date(
        string="First Receipt", readonly=True, copy=False, it_system=True
    )
    received_by = fields.Char(readonly=True, copy=False, it_system=True)
    receipt_seal_numbers = fields.Char(
        string="Seals Seen on Receipt", readonly=True, copy=False, it_system=True
    )
    has_incident = fields.Boolean(
        string="Incident",
        readonly=True,
        copy=False,
        help="A seal number seen on receipt differed from the seals put on.",
        it_system=True,
    )
    receipt_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="Pickup date plus the company's receipt deadline.",
        it_system=True,
    )
    escalation_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="Receipt deadline plus the company's escalation days: after it, "
        "the IT manager is asked to act.",
        it_system=True,
    )
    escalation_level = fields.Integer(
        readonly=True,
        copy=False,
        help="0: no reminder yet; 1: responsible reminded; 2: IT manager asked.",
        it_system=True,
    )
    is_overdue = fields.Boolean(
        string="Receipt Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )

    @api.depends(
        "pickup_date",
        "company_id.it_disposal_receipt_days",
        "company_id.it_disposal_escalation_days",
    )
    def _compute_deadlines(self):
        for batch in self:
            if not batch.pickup_date:
                batch.receipt_deadline = batch.escalation_deadline = False
                continue
            batch.receipt_deadline = fields.Date.add(
                batch.pickup_date, days=batch.company_id.it_disposal_receipt_days
            )
            batch.escalation_deadline = fields.Date.add(
                batch.receipt_deadline,
                days=batch.company_id.it_disposal_escalation_days,
            )

    def _get_overdue_domain(self, today):
        return [
            ("state", "in", self._get_receipt_states()),
            ("receipt_deadline", "<", today),
            ("line_ids.receipt_state", "=", "pending"),
        ]

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        overdue = self.filtered_domain(self._get_overdue_domain(today))
        for batch in self:
            batch.is_overdue = batch in overdue

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on this field."))
        overdue = self.search(self._get_overdue_domain(fields.Date.context_today(self)))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", overdue.ids)]

    # Receipt

    def _confirm_receipt(
        self, serials, receipt_date, seals_seen, received_by, location
    ):
        """Record the recipient's receipt of the serials in ``serials`` on
        ``receipt_date``: their leases end (unless they ended at pickup), they
        are no longer in transit; a seal that differs is an incident. Serials
        already confirmed are left as they are."""
        self.ensure_one()
        self._check_state(*self._get_receipt_states())
        lines = self._get_receipt_lines(serials)
        if seals_seen and split_seals(seals_seen) != split_seals(self.seal_numbers):
            self._record_seal_incident(seals_seen, location)
        if lines:
            self._receive_lines(lines, receipt_date, seals_seen, received_by, location)
        values = {}
        if not self.received_date:
            values.update(
                received_date=receipt_date,
                received_by=received_by,
                receipt_seal_numbers=seals_seen,
            )
        self._set_state("received", **values)
        return lines

    def _get_receipt_lines(self, serials):
        """The crate's lines not yet received among the serials in
        ``serials``; refuses serials that are not in the crate, by name."""
        self.ensure_one()
        normalize = self.env["maintenance.equipment"]._normalize_serial
        by_serial = {line.serial_no_normalized: line for line in self.line_ids}
        wanted = {}
        for part in re.split(r"[\s,;]+", serials or ""):
            if part:
                wanted.setdefault(normalize(part), part)
        unknown = [wanted[key] for key in wanted if key not in by_serial]
        if unknown:
            raise UserError(
                self.env._(
                    "Not in crate %(crate)s: %(serials)s.",
                    crate=self.display_name,
                    serials=", ".join(sorted(unknown)),
                )
            )
        if not wanted:
            raise UserError(self.env._("Give the serial numbers received."))
        return (
            self.env["it.disposal.batch.line"]
            .browse([by_serial[key].id for key in wanted])
            .filtered(lambda line: line.receipt_state == "pending")
        )

    def _receive_lines(self, lines, receipt_date, seals_seen, received_by, location):
        """Mark ``lines`` received on ``receipt_date``, end their leases and
        return their devices, in the crate's chain of custody."""
        self.ensure_one()
        lines._write_as_step(
            {"receipt_state": "received", "received_date": receipt_date}
        )
        # The lease ends first: a leased device is Returned only once its
        # lease line knows the day the lessor took it back.
        lines.filtered(
            lambda line: line.lease_line_id.schedule_id.return_end_basis == "receipt"
        )._end_lease(receipt_date)
        lines.equipment_id._set_disposal_in_transit(False, lifecycle_state="returned")
        self._log_event(
            "received",
            lines=lines,
            partner_id=self.recipient_id.id,
            location=location,
            seal_numbers=seals_seen,
            note=self.env._(
                "Received by %(name)s on %(date)s.",
                name=received_by or self.recipient_id.name,
                date=format_date(self.env, receipt_date),
            ),
        )

    def _record_seal_incident(self, seals_seen, location):
        self.ensure_one()
        self._set_state(self.state, has_incident=True)
        self._log_event(
            "incident",
            partner_id=self.recipient_id.id,
            location=location,
            seal_numbers=seals_seen,
            note=self._get_seal_incident_note(seals_seen),
        )
        schedule_activity(
            self,
            self.user_id or self.env.user,
            lambda batch: (False, batch._get_seal_incident_note(seals_seen)),
            "municipal_it_disposal.mail_activity_type_custody_incident",
        )

    def _get_seal_incident_note(self, seals_seen):
        self.ensure_one()
        return self.env._(
            "Seal mismatch on crate %(crate)s: sealed with %(sealed)s, seen on "
            "receipt %(seen)s.",
            crate=self.display_name,
            sealed=self.seal_numbers,
            seen=seals_seen,
        )

    # Escalation

    @api.model
    def _cron_escalate_overdue_receipts(self):
        """Remind the responsible once the receipt deadline has passed, and
        ask the IT manager once the escalation deadline has passed; each
        once per deadline, listing the serials not confirmed."""
        today = fields.Date.context_today(self)
        batches = self.search(
            self._get_overdue_domain(today) + [("escalation_level", "<", 2)]
        )
        for batch in batches:
            level = 2 if batch.escalation_deadline < today else 1
            if level <= batch.escalation_level:
                continue
            pending = batch.line_ids.filtered(
                lambda line: line.receipt_state == "pending"
            )
            if level == 1:
                user = batch.user_id
                deadline = batch.receipt_deadline
            else:
                user = batch.company_id.it_disposal_manager_id or batch.user_id
                deadline = batch.escalation_deadline
            schedule_activity(
                batch,
                user or self.env.user,
                lambda localized, deadline=deadline, pending=pending: (
                    localized._get_receipt_overdue_summary(),
                    localized._get_receipt_overdue_note(deadline, pending),
                ),
                "municipal_it_disposal.mail_activity_type_receipt_overdue",
            )
            batch._set_state(batch.state, escalation_level=level)
        return True

    def _get_receipt_overdue_summary(self):
        self.ensure_one()
        return self.env._("Crate %(crate)s: receipt not confirmed", crate=self.name)

    def _get_receipt_overdue_note(self, deadline, pending):
        """The overdue receipt of ``pending`` lines, in the language of the
        record's environment."""
        self.ensure_one()
        return self.env._(
            "Crate %(crate)s to %(recipient)s was picked up on %(pickup)s; "
            "the deadline %(deadline)s has passed and the recipient has not "
            "confirmed the receipt of: %(serials)s.",
            crate=self.name,
            recipient=self.recipient_id.name,
            pickup=format_date(self.env, self.pickup_date),
            deadline=format_date(self.env, deadline),
            serials=", ".join(pending.mapped("serial_no")),
        )

    def action_open_receipt(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirm Receipt"),
            "res_model": "it.disposal.receipt",
            "view_mode": "form",
            "target": "new",
            "context": {"default_batch_id": self.id},
        }
