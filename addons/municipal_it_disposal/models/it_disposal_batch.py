# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from odoo.addons.municipal_it_lease.tools.activity import schedule_activity
from odoo.addons.municipal_it_lease.tools.guard import (
    internal,
    is_internal,
    system_create,
)
from odoo.addons.municipal_it_lease.tools.selection import selection_label

# A crate's own steps (seal, collect, receive, settle...) write what users
# cannot: they mark their records so (a request's context cannot).
TRANSITION = "it_disposal_transition"


def in_transition(records):
    """``records`` as written by a step of their crate."""
    return records.with_env(internal(records.env, TRANSITION))


# Fields fixed once the crate is sealed, and once it is collected.
LOCKED_AFTER_DRAFT = {
    "recipient_id",
    "crate_number",
    "seal_numbers",
    "expected_count",
    "company_id",
}
LOCKED_AFTER_COLLECTION = {
    "handed_over_by_id",
    "collected_by",
    "collection_location",
    "collected_at",
    "pickup_date",
    "carrier_id",
}
# Set only by the receipt, the transitions and the escalation job, or
# computed from the pickup date.
SYSTEM_FIELDS = {
    "state",
    "received_date",
    "received_by",
    "receipt_seal_numbers",
    "has_incident",
    "escalation_level",
    "refund_move_id",
    "damage_move_id",
    "receipt_deadline",
    "escalation_deadline",
}
# States in which a crate still waits for the recipient to confirm receipts
# (other addons ask _get_receipt_states()).
RECEIPT_STATES = ("collected", "received")
# States in which the recipient grades and values the devices (other addons
# ask _get_grading_states()).
GRADING_STATES = ("received", "sanitized", "graded", "disputed")
MANAGER_GROUP = "municipal_it_lease.municipal_it_lease_group_manager"


def split_seals(text):
    """The set of seal numbers in a text (separated by commas, semicolons,
    spaces or new lines), case and spaces ignored."""
    return {part.casefold() for part in re.split(r"[\s,;]+", text or "") if part}


class ItDisposalBatch(models.Model):
    """A lockable crate of returned or retired devices, travelling from the
    municipality to the lessor or a remarketer, with its chain of custody."""

    _name = "it.disposal.batch"
    _description = "Return Crate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        help="Follows the crate; gets the reminders when receipts are overdue.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("sealed", "Sealed"),
            ("collected", "Collected"),
            ("received", "Received"),
            ("sanitized", "Sanitized"),
            ("graded", "Graded"),
            ("disputed", "Disputed"),
            ("settled", "Settled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_expand_states",
    )
    recipient_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        tracking=True,
        check_company=True,
        help="The lessor or remarketer who receives the crate.",
    )
    crate_number = fields.Char(required=True, tracking=True)
    seal_numbers = fields.Char(
        tracking=True,
        help="Numbers of the seals put on the crate, separated by commas.",
    )
    expected_count = fields.Integer(
        string="Expected Devices",
        tracking=True,
        help="Number of devices the crate should hold; sealing checks it.",
    )
    carrier_id = fields.Many2one(comodel_name="res.partner", tracking=True)
    pickup_date = fields.Date(tracking=True, copy=False)
    handed_over_by_id = fields.Many2one(comodel_name="res.users", copy=False)
    collected_by = fields.Char(
        copy=False, help="Name of the carrier's driver who took the crate."
    )
    collection_location = fields.Char(string="Collected At (Place)", copy=False)
    collected_at = fields.Datetime(string="Collected On", copy=False)
    received_date = fields.Date(string="First Receipt", readonly=True, copy=False)
    received_by = fields.Char(readonly=True, copy=False)
    receipt_seal_numbers = fields.Char(
        string="Seals Seen on Receipt", readonly=True, copy=False
    )
    has_incident = fields.Boolean(
        string="Incident",
        readonly=True,
        copy=False,
        help="A seal number seen on receipt differed from the seals put on.",
    )
    line_ids = fields.One2many("it.disposal.batch.line", "batch_id", string="Devices")
    event_ids = fields.One2many(
        "it.custody.event", "batch_id", string="Chain of Custody"
    )
    report_ids = fields.One2many(
        "it.wipe.report", "batch_id", string="Sanitization Reports"
    )
    line_count = fields.Integer(string="Device Count", compute="_compute_counts")
    received_count = fields.Integer(string="Received", compute="_compute_counts")
    in_transit_count = fields.Integer(string="In Transit", compute="_compute_counts")
    disputed_count = fields.Integer(string="Disputed", compute="_compute_counts")
    receipt_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="Pickup date plus the company's receipt deadline.",
    )
    escalation_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="Receipt deadline plus the company's escalation days: after it, "
        "the IT manager is asked to act.",
    )
    escalation_level = fields.Integer(
        readonly=True,
        copy=False,
        help="0: no reminder yet; 1: responsible reminded; 2: IT manager asked.",
    )
    is_overdue = fields.Boolean(
        string="Receipt Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )
    chain_intact = fields.Boolean(compute="_compute_chain_intact")
    unmatched_certificate_ids = fields.Many2many(
        "it.wipe.certificate",
        string="Unmatched Certificates",
        compute="_compute_sanitization",
    )
    failed_certificate_ids = fields.Many2many(
        "it.wipe.certificate",
        string="Failed Erasures",
        compute="_compute_sanitization",
    )
    missing_medium_ids = fields.Many2many(
        "it.storage.medium",
        string="Media Without Certificate",
        compute="_compute_sanitization",
    )
    residual_total = fields.Monetary(
        string="Agreed Residual Value", compute="_compute_amounts"
    )
    damage_total = fields.Monetary(
        string="Agreed Damage Charges", compute="_compute_amounts"
    )
    refund_move_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False
    )
    damage_move_id = fields.Many2one(
        "account.move", string="Damage Bill", readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "expected_count_positive",
            "CHECK(expected_count >= 0)",
            "The expected device count cannot be negative.",
        ),
    ]

    @api.model
    def _expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    # What other addons (the portal and Inventory bridges) ask of a crate:
    # methods they call and may extend, not module constants.

    @api.model
    def _get_receipt_states(self):
        """States in which a crate still waits for the recipient to confirm
        receipts."""
        return RECEIPT_STATES

    @api.model
    def _get_grading_states(self):
        """States in which the recipient grades and values the devices."""
        return GRADING_STATES

    def _in_transition(self):
        """These crates as written by one of their own steps (seal, collect,
        receive...): the only writer of their system fields."""
        return in_transition(self)

    @api.depends("line_ids.receipt_state", "line_ids.agreement_state")
    def _compute_counts(self):
        for batch in self:
            lines = batch.line_ids
            batch.line_count = len(lines)
            batch.received_count = len(
                lines.filtered(lambda line: line.receipt_state == "received")
            )
            batch.in_transit_count = len(lines.filtered("in_transit"))
            batch.disputed_count = len(
                lines.filtered(lambda line: line.agreement_state == "disputed")
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

    def _compute_chain_intact(self):
        broken = self.event_ids._check_chain().batch_id
        for batch in self:
            batch.chain_intact = batch not in broken

    @api.depends(
        "report_ids.certificate_ids.is_matched",
        "line_ids.equipment_id.storage_medium_ids.wipe_state",
        "line_ids.equipment_id.storage_medium_ids.certificate_ids.status",
    )
    def _compute_sanitization(self):
        for batch in self:
            media = batch.line_ids.equipment_id.storage_medium_ids
            batch.unmatched_certificate_ids = batch.report_ids.certificate_ids.filtered(
                lambda certificate: not certificate.is_matched
            )
            batch.failed_certificate_ids = media.certificate_ids.filtered(
                lambda certificate: certificate.status == "not_erased"
            )
            batch.missing_medium_ids = media.filtered(
                lambda medium: medium.wipe_state == "missing"
            )

    @api.depends(
        "line_ids.offered_value", "line_ids.damage_charge", "line_ids.agreement_state"
    )
    def _compute_amounts(self):
        for batch in self:
            agreed = batch.line_ids.filtered(
                lambda line: line.agreement_state == "agreed"
            )
            batch.residual_total = sum(agreed.mapped("offered_value"))
            batch.damage_total = sum(agreed.mapped("damage_charge"))

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(self.env._("A return crate starts as a draft."))
        batches = system_create(
            self, vals_list, self._get_system_fields(), key=TRANSITION
        )
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "it.disposal.batch"
                ) or self.env._("New")
        return super(ItDisposalBatch, batches).create(vals_list).with_env(self.env)

    def write(self, vals):
        if not is_internal(self.env, TRANSITION):
            self._check_writable(set(vals))
        return super().write(vals)

    def _get_system_fields(self):
        """The fields only the crate's own steps write (extended by the
        addons that add such fields)."""
        return set(SYSTEM_FIELDS)

    def _check_writable(self, field_names):
        """Refuse changes the crate's state no longer allows, to any caller."""
        system = field_names & self._get_system_fields()
        if system:
            raise UserError(
                self.env._(
                    "%(fields)s of a return crate change only through its "
                    "actions (seal, collect, receive...).",
                    fields=", ".join(self._fields[name].string for name in system),
                )
            )
        for batch in self:
            locked = set()
            if batch.state != "draft":
                locked |= LOCKED_AFTER_DRAFT
            if batch.state not in ("draft", "sealed"):
                locked |= LOCKED_AFTER_COLLECTION
            if field_names & locked:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s is %(state)s: %(fields)s can no longer "
                        "be changed.",
                        crate=batch.display_name,
                        state=batch._state_label(),
                        fields=", ".join(
                            self._fields[name].string for name in field_names & locked
                        ),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for batch in self:
            if batch.state != "draft" or batch.event_ids:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s has a chain of custody and cannot be deleted.",
                        crate=batch.display_name,
                    )
                )

    # Helpers

    def _state_label(self):
        self.ensure_one()
        return selection_label(self, "state")

    def _check_state(self, *states):
        for batch in self:
            if batch.state not in states:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s is %(state)s: this step is not possible now.",
                        crate=batch.display_name,
                        state=batch._state_label(),
                    )
                )

    def _set_state(self, state, **values):
        in_transition(self).write(dict(values, state=state))

    def _log_event(self, event_type, lines=None, **values):
        """Append an event to each crate's chain of custody."""
        self.ensure_one()
        lines = self.line_ids if lines is None else lines
        return (
            self.env["it.custody.event"]
            .sudo()
            .create(
                {
                    "batch_id": self.id,
                    "event_type": event_type,
                    "user_id": self.env.uid,
                    "device_count": len(lines),
                    "serials": ", ".join(lines.mapped("serial_no")),
                    **values,
                }
            )
        )

    def _check_it_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only an IT leasing manager may settle a return crate.")
            )

    # Serial entry

    def _add_serials(self, text):
        """Add the devices whose serial numbers are in ``text`` (scanned or
        pasted, one or more a line); refuses unknown serials by name."""
        self.ensure_one()
        self._check_state("draft")
        normalize = self.env["maintenance.equipment"]._normalize_serial
        serials = {}
        for part in re.split(r"[\s,;]+", text or ""):
            if part:
                serials.setdefault(normalize(part), part)
        if not serials:
            raise UserError(self.env._("Scan or paste at least one serial number."))
        devices = self.env["maintenance.equipment"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("serial_no_normalized", "in", list(serials)),
            ]
        )
        unknown = set(serials) - set(devices.mapped("serial_no_normalized"))
        if unknown:
            raise UserError(
                self.env._(
                    "Not in the register: %(serials)s.",
                    serials=", ".join(sorted(serials[key] for key in unknown)),
                )
            )
        new_devices = devices - self.line_ids.equipment_id
        return self.env["it.disposal.batch.line"].create(
            [{"batch_id": self.id, "equipment_id": device.id} for device in new_devices]
        )

    # Transitions

    def action_seal(self):
        """Seal the crate: its lines are locked and its seals recorded."""
        self._check_state("draft")
        for batch in self:
            if not batch.line_ids:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s is empty: add devices before sealing.",
                        crate=batch.display_name,
                    )
                )
            if not split_seals(batch.seal_numbers):
                raise UserError(
                    self.env._(
                        "Crate %(crate)s: enter the seal numbers before sealing.",
                        crate=batch.display_name,
                    )
                )
            if batch.expected_count and batch.expected_count != len(batch.line_ids):
                raise UserError(
                    self.env._(
                        "Crate %(crate)s should hold %(expected)s devices but has "
                        "%(count)s.",
                        crate=batch.display_name,
                        expected=batch.expected_count,
                        count=len(batch.line_ids),
                    )
                )
            batch._set_state("sealed")
            batch._log_event("sealed", seal_numbers=batch.seal_numbers)
        return True

    def action_collect(self):
        """Hand the crate to the carrier: the devices are in transit; a lease
        whose terms end it at pickup ends now."""
        self._check_state("sealed")
        for batch in self:
            missing = [
                batch._fields[name].string
                for name in ("handed_over_by_id", "collected_by", "collection_location")
                if not batch[name]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s: fill in %(fields)s before collection.",
                        crate=batch.display_name,
                        fields=", ".join(missing),
                    )
                )
            collected_at = batch.collected_at or fields.Datetime.now()
            pickup_date = batch.pickup_date or fields.Date.context_today(
                batch, collected_at
            )
            batch._set_state(
                "collected", collected_at=collected_at, pickup_date=pickup_date
            )
            in_transition(batch.line_ids.equipment_id).write(
                {"disposal_in_transit": True}
            )
            batch.line_ids.filtered(
                lambda line: line.lease_line_id.schedule_id.return_end_basis == "pickup"
            )._end_lease(pickup_date)
            batch._log_event(
                "collected",
                event_date=collected_at,
                partner_id=batch.carrier_id.id,
                location=batch.collection_location,
                seal_numbers=batch.seal_numbers,
                note=self.env._(
                    "Handed over by %(giver)s, collected by %(taker)s.",
                    giver=batch.handed_over_by_id.name,
                    taker=batch.collected_by,
                ),
            )
            batch._after_collect()
        return True

    def _after_collect(self):
        """Hook for the Inventory bridge: runs once the crate is collected."""
        return True

    def _confirm_receipt(
        self, serials, receipt_date, seals_seen, received_by, location
    ):
        """Record the recipient's receipt of the serials in ``serials`` on
        ``receipt_date``: their leases end (unless they ended at pickup), they
        are no longer in transit; a seal that differs is an incident. Serials
        already confirmed are left as they are."""
        self.ensure_one()
        self._check_state(*self._get_receipt_states())
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
        lines = (
            self.env["it.disposal.batch.line"]
            .browse([by_serial[key].id for key in wanted])
            .filtered(lambda line: line.receipt_state == "pending")
        )
        if seals_seen and split_seals(seals_seen) != split_seals(self.seal_numbers):
            self._record_seal_incident(seals_seen, location)
        if lines:
            in_transition(lines).write(
                {"receipt_state": "received", "received_date": receipt_date}
            )
            # The lease ends first: a leased device is Returned only once its
            # lease line knows the day the lessor took it back.
            lines.filtered(
                lambda line: (
                    line.lease_line_id.schedule_id.return_end_basis == "receipt"
                )
            )._end_lease(receipt_date)
            in_transition(lines.equipment_id).write(
                {"disposal_in_transit": False, "lifecycle_state": "returned"}
            )
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
        values = {}
        if not self.received_date:
            values.update(
                received_date=receipt_date,
                received_by=received_by,
                receipt_seal_numbers=seals_seen,
            )
        self._set_state("received", **values)
        return lines

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

    def action_sanitized(self):
        """Every device received and every storage medium released by an
        accepted certificate of its level."""
        self._check_state("received")
        for batch in self:
            in_transit = batch.line_ids.filtered(
                lambda line: line.receipt_state != "received"
            )
            if in_transit:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s: receipt not yet confirmed for %(serials)s.",
                        crate=batch.display_name,
                        serials=", ".join(in_transit.mapped("serial_no")),
                    )
                )
            # Checked on the certificates themselves, as settling does, not
            # on the stored wipe status.
            problems = [
                self.env._(
                    "%(device)s, medium %(medium)s %(problem)s",
                    device=medium.equipment_id.display_name,
                    medium=medium.serial_no,
                    problem=problem,
                )
                for medium in batch.line_ids.equipment_id.storage_medium_ids
                if (problem := medium._get_wipe_problem())
            ]
            if problems:
                raise ValidationError(
                    self.env._(
                        "Crate %(crate)s is not sanitized:\n%(problems)s",
                        crate=batch.display_name,
                        problems="\n".join(problems),
                    )
                )
            batch._set_state("sanitized")
            batch._log_event("sanitized")
        return True

    def action_graded(self):
        """The recipient has graded every device and proposed what becomes
        of it."""
        self._check_state("sanitized")
        for batch in self:
            ungraded = batch.line_ids.filtered(
                lambda line: not line.grade or not line.disposition
            )
            if ungraded:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s: grade and disposition missing for "
                        "%(serials)s.",
                        crate=batch.display_name,
                        serials=", ".join(ungraded.mapped("serial_no")),
                    )
                )
            batch._set_state("graded")
            batch._log_event("graded")
        return True

    def action_settle(self):
        """Settle with the recipient: a posted credit note for the agreed
        residual values and a posted bill for the agreed damage charges, both
        referencing the crate; the devices leave the register as disposed or
        remarketed."""
        self._check_it_manager()
        self._check_state("graded")
        for batch in self:
            pending = batch.line_ids.filtered(
                lambda line: line.agreement_state != "agreed"
            )
            if pending:
                raise UserError(
                    self.env._(
                        "Crate %(crate)s: agree or settle the dispute of "
                        "%(serials)s first.",
                        crate=batch.display_name,
                        serials=", ".join(pending.mapped("serial_no")),
                    )
                )
            refund_lines = batch.line_ids.filtered("offered_value")
            damage_lines = batch.line_ids.filtered("damage_charge")
            # Prepared first: a missing account stops the settlement before
            # any device leaves the register.
            move_vals = []
            if refund_lines:
                move_vals.append(
                    batch._prepare_settlement_move_vals("in_refund", refund_lines)
                )
            if damage_lines:
                move_vals.append(
                    batch._prepare_settlement_move_vals("in_invoice", damage_lines)
                )
            for line in batch.line_ids:
                line.equipment_id.write(
                    {
                        "lifecycle_state": "remarketed"
                        if line.disposition == "remarket"
                        else "disposed"
                    }
                )
            # The IT manager decides; the moves are the accounting consequence,
            # so they are created without asking accounting rights.
            moves = batch._in_transition().env["account.move"].sudo().create(move_vals)
            refund = moves.filtered(lambda move: move.move_type == "in_refund")
            damage = moves - refund
            (refund | damage).action_post()
            batch._set_state(
                "settled", refund_move_id=refund.id, damage_move_id=damage.id
            )
            batch._log_event(
                "settled",
                partner_id=batch.recipient_id.id,
                note=self.env._(
                    "Residual value %(residual)s, damage charges %(damage)s.",
                    residual=batch.residual_total,
                    damage=batch.damage_total,
                ),
            )
        return True

    def _prepare_settlement_move_vals(self, move_type, lines):
        self.ensure_one()
        company = self.company_id
        if move_type == "in_refund":
            account = company.it_disposal_residual_account_id
            label = self.env._("Residual value")
        else:
            account = company.it_disposal_damage_account_id
            label = self.env._("Damage charge")
        if not account:
            raise UserError(
                self.env._(
                    "Choose the residual value and damage charge accounts of "
                    "%(company)s in the IT Leasing settings first.",
                    company=company.name,
                )
            )
        vals = {
            "move_type": move_type,
            "it_disposal_batch_id": self.id,
            "partner_id": self.recipient_id.id,
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": self.name,
            "invoice_origin": self.name,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self.env._(
                            "%(label)s %(device)s (grade %(grade)s), crate %(crate)s",
                            label=label,
                            device=line.equipment_id.display_name,
                            grade=line.grade,
                            crate=self.name,
                        ),
                        "quantity": 1,
                        "price_unit": line.offered_value
                        if move_type == "in_refund"
                        else line.damage_charge,
                        "account_id": account.id,
                        "tax_ids": [Command.clear()],
                    }
                )
                for line in lines
            ],
        }
        if company.it_disposal_journal_id:
            vals["journal_id"] = company.it_disposal_journal_id.id
        return vals

    def _on_dispute_change(self):
        """Move the crate into or out of the disputed state."""
        for batch in self:
            disputed = any(
                line.agreement_state == "disputed" for line in batch.line_ids
            )
            if disputed and batch.state == "graded":
                batch._set_state("disputed")
            elif not disputed and batch.state == "disputed":
                batch._set_state("graded")

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

    # Reports and views

    def _get_custody_report_name(self):
        """The custody document's file name, in the language of the
        record's environment (the user's)."""
        self.ensure_one()
        return self.env._(
            "Custody %(crate)s - %(state)s",
            crate=self.name.replace("/", "-"),
            state=self._state_label(),
        )

    def action_print_custody(self):
        """Print the custody document, recording the anchor it gives the
        recipient (the head of each crate's log)."""
        self._give_custody_anchors("pdf")
        return self.env.ref(
            "municipal_it_disposal.it_disposal_batch_report_custody"
        ).report_action(self)

    def action_open_add_serials(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add Devices"),
            "res_model": "it.disposal.add.serials",
            "view_mode": "form",
            "target": "new",
            "context": {"default_batch_id": self.id},
        }

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

    def action_open_import_report(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Sanitization Report"),
            "res_model": "it.wipe.report.import",
            "view_mode": "form",
            "target": "new",
            "context": {"default_batch_id": self.id},
        }

    # Demo data

    def _demo_advance(self, state):
        """Walk demo crates through the real steps up to ``state`` (demo data
        only: one crate in each state)."""
        order = [
            "sealed",
            "collected",
            "received",
            "sanitized",
            "graded",
            "disputed",
            "settled",
        ]
        target = order.index(state)
        for batch in self:
            batch.action_seal()
            if target >= 1:
                batch.write(
                    {
                        "handed_over_by_id": self.env.ref("base.user_admin").id,
                        "collected_by": "Kalle Chaufför",
                        "collection_location": "Stadshuset, lastkaj 2",
                    }
                )
                batch.action_collect()
            if target >= 2:
                batch._confirm_receipt(
                    " ".join(batch.line_ids.mapped("serial_no")),
                    fields.Date.context_today(self),
                    batch.seal_numbers,
                    "Lager Eskilstuna",
                    "Eskilstuna",
                )
            if target >= 3:
                rows = "\n".join(
                    f"DEMO-{batch.id},{line.serial_no},"
                    f"{line.equipment_id.storage_medium_ids[:1].serial_no},"
                    "NIST 800-88 Purge,Purge,Blancco Drive Eraser,7.9.0,erased,"
                    "Operatör 1,2026-03-11T09:00:00Z,verified"
                    if not line.is_classified
                    else f"DEMO-{batch.id},{line.serial_no},"
                    f"{line.equipment_id.storage_medium_ids[:1].serial_no},"
                    "Shredding,Destroy,Kross,1,erased,Operatör 1,"
                    "2026-03-11T09:00:00Z,visual"
                    for line in batch.line_ids
                )
                header = (
                    "report_id,device_serial,medium_serial,method,level,tool,"
                    "tool_version,status,operator,timestamp,verification\n"
                )
                self.env["it.wipe.report"]._import_file(
                    (header + rows + "\n").encode(), f"demo-{batch.id}.csv", batch
                )
                batch.action_sanitized()
            if target >= 4:
                for value, line in zip((1500.0, 0.0), batch.line_ids, strict=False):
                    line.write(
                        {
                            "grade": "a" if value else "d",
                            "offered_value": value,
                            "damage_charge": 0.0 if value else 250.0,
                            "disposition": "remarket" if value else "recycle",
                        }
                    )
                batch.action_graded()
            if target == 5:
                batch.line_ids[:1].action_agree()
                batch.line_ids[1:].action_dispute(
                    "Grad D men datorn var hel vid packning (foto i lådan)."
                )
            if target == 6:
                batch.line_ids.action_agree()
                batch.action_settle()
        return True
