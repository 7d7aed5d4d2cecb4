# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.selection import selection_label

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
MANAGER_GROUP = "municipal_it_lease.municipal_it_lease_group_manager"


def split_seals(text):
    """The set of seal numbers in a text (separated by commas, semicolons,
    spaces or new lines), case and spaces ignored."""
    return {part.casefold() for part in re.split(r"[\s,;]+", text or "") if part}


class ItDisposalBatch(models.Model):
    """A lockable crate of returned or retired devices, travelling from the
    municipality to the lessor or a remarketer, with its chain of custody.

    Its receipt, settlement, custody anchors and demo walk are in the
    ``it_disposal_batch_*.py`` files next to this one. Fields declared with
    ``it_system=True`` are written by the crate's own steps only: they check
    the user's rights and the crate's state, then write with ``sudo()``."""

    _name = "it.disposal.batch"
    _description = "Return Crate"
    _inherit = ["mail.thread", "mail.activity.mixin", "it.system.fields.mixin"]
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
        it_system=True,
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
    line_ids = fields.One2many("it.disposal.batch.line", "batch_id", string="Devices")
    event_ids = fields.One2many(
        "it.custody.event", "batch_id", string="Chain of Custody"
    )
    line_count = fields.Integer(string="Device Count", compute="_compute_counts")
    received_count = fields.Integer(string="Received", compute="_compute_counts")
    in_transit_count = fields.Integer(string="In Transit", compute="_compute_counts")
    disputed_count = fields.Integer(string="Disputed", compute="_compute_counts")
    chain_intact = fields.Boolean(compute="_compute_chain_intact")

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
        return ("collected", "received")

    @api.model
    def _get_grading_states(self):
        """States in which the recipient grades and values the devices."""
        return ("received", "sanitized", "graded", "disputed")

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

    def _compute_chain_intact(self):
        broken = self.event_ids._check_chain().batch_id
        for batch in self:
            batch.chain_intact = batch not in broken

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(self.env._("A return crate starts as a draft."))
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "it.disposal.batch"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        self._check_writable(set(vals))
        return super().write(vals)

    def _check_writable(self, field_names):
        """Refuse what the crate's state no longer allows, to any caller, and
        its system fields to any caller but the crate's own steps."""
        system = field_names & self._it_system_field_names()
        if self.env.su:
            # A step of the crate: what it writes besides its system fields
            # still follows the state.
            field_names = field_names - system
        elif system:
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
        """Write the crate's state (and ``values``) as its step: the user may
        write these crates, the step writes what only it may."""
        self.check_access("write")
        self.sudo().write(dict(values, state=state))

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
            batch.line_ids.equipment_id._set_disposal_in_transit(True)
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
