# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.municipal_it_lease.tools.activity import schedule_activity
from odoo.addons.municipal_it_lease.tools.selection import selection_label

# What the recipient fills in per device (the fields a portal user may get).
RECIPIENT_FIELDS = {
    "grade",
    "grade_scale",
    "offered_value",
    "damage_charge",
    "damage_note",
    "attachment_ids",
    "disposition",
}


class ItDisposalBatchLine(models.Model):
    """One device in a return crate: why it goes, its receipt by the
    recipient, its grade, value and the municipality's agreement.

    Its receipt and agreement are set only by the crate's actions (confirm
    receipt, agree, dispute); its reason and lease line are computed from the
    device (the lease line is the one a receipt ends), its transit from the
    crate's state: all are ``it_system`` fields, never given by a user."""

    _name = "it.disposal.batch.line"
    _description = "Return Crate Device"
    _inherit = ["it.system.fields.mixin"]
    _order = "batch_id, id"
    _rec_name = "equipment_id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        comodel_name="it.disposal.batch",
        string="Return Crate",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="batch_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    batch_state = fields.Selection(related="batch_id.state", string="Crate Status")
    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    serial_no = fields.Char(related="equipment_id.serial_no")
    serial_no_normalized = fields.Char(related="equipment_id.serial_no_normalized")
    is_classified = fields.Boolean(related="equipment_id.is_classified")
    wipe_state = fields.Selection(related="equipment_id.wipe_state")
    reason = fields.Selection(
        selection=[
            ("return", "Lease return"),
            ("owned", "Owned, to dispose of"),
            ("buy_out", "Bought out, retired"),
        ],
        compute="_compute_reason",
        store=True,
        precompute=True,
        it_system=True,
    )
    lease_line_id = fields.Many2one(
        comodel_name="it.lease.line",
        compute="_compute_reason",
        store=True,
        precompute=True,
        it_system=True,
    )
    receipt_state = fields.Selection(
        selection=[("pending", "Not confirmed"), ("received", "Received")],
        string="Receipt",
        default="pending",
        required=True,
        readonly=True,
        copy=False,
        it_system=True,
    )
    received_date = fields.Date(readonly=True, copy=False, it_system=True)
    in_transit = fields.Boolean(
        compute="_compute_in_transit",
        store=True,
        it_system=True,
        help="Collected and not confirmed received by the recipient.",
    )
    grade = fields.Selection(
        selection=[("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"), ("other", "Other")],
        help="The recipient's condition grade (A best, D worst), or Other with "
        "the lessor's own scale.",
    )
    grade_scale = fields.Char(string="Lessor's Grade")
    offered_value = fields.Monetary(
        help="Residual or remarketing value the recipient offers for the device.",
    )
    damage_charge = fields.Monetary(
        help="What the recipient charges for damage beyond normal wear."
    )
    damage_note = fields.Text(string="Damage Notes")
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="it_disposal_batch_line_attachment_rel",
        column1="line_id",
        column2="attachment_id",
        string="Photos",
    )
    disposition = fields.Selection(
        selection=[
            ("remarket", "Remarket"),
            ("recycle", "Recycle (destroy)"),
        ],
        help="What the recipient does with the device.",
    )
    agreement_state = fields.Selection(
        selection=[
            ("pending", "To review"),
            ("agreed", "Agreed"),
            ("disputed", "Disputed"),
        ],
        string="Agreement",
        default="pending",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        it_system=True,
    )
    dispute_reason = fields.Text(readonly=True, copy=False, it_system=True)

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(offered_value >= 0 AND damage_charge >= 0)",
            "Offered values and damage charges cannot be negative.",
        ),
    ]

    @api.depends("equipment_id")
    def _compute_reason(self):
        for line in self:
            line.reason, line.lease_line_id = line._get_reason(line.equipment_id)

    @api.depends("batch_id.state", "receipt_state")
    def _compute_in_transit(self):
        for line in self:
            line.in_transit = (
                line.batch_id.state in line.batch_id._get_receipt_states()
                and line.receipt_state == "pending"
            )

    def _get_reason(self, device):
        """(reason, lease line) for a device to go into a crate, or raise
        why it may not go."""
        if not device:
            return False, False
        lease = device.lease_line_id
        if device.lifecycle_state in ("disposed", "remarketed"):
            raise ValidationError(
                self.env._(
                    "Device %(device)s is already %(state)s.",
                    device=device.display_name,
                    state=device.lifecycle_state,
                )
            )
        if device.is_owned:
            if lease.end_decision == "buy_out":
                return "buy_out", lease
            return "owned", False
        if lease and lease.state != "cancelled":
            if lease.end_decision == "return":
                return "return", lease
            raise ValidationError(
                self.env._(
                    "Device %(device)s is leased on schedule %(schedule)s and has "
                    "no return decision: decide its lease end before it goes "
                    "into a crate.",
                    device=device.display_name,
                    schedule=lease.schedule_id.name,
                )
            )
        return "owned", False

    @api.constrains("equipment_id", "batch_id")
    def _check_one_open_batch(self):
        """A device travels in one open crate at a time."""
        self.flush_model(["equipment_id", "batch_id"])
        self.env.cr.execute(
            """
            SELECT line.id, other.id
              FROM it_disposal_batch_line line
              JOIN it_disposal_batch_line other
                ON other.equipment_id = line.equipment_id AND other.id != line.id
              JOIN it_disposal_batch batch ON batch.id = other.batch_id
             WHERE line.id = ANY(%s) AND batch.state != 'settled'
             LIMIT 1
            """,
            [self.ids],
        )
        row = self.env.cr.fetchone()
        if row:
            line, other = self.browse(row)
            raise ValidationError(
                self.env._(
                    "Device %(device)s is already in open crate %(crate)s.",
                    device=line.equipment_id.display_name,
                    crate=other.batch_id.display_name,
                )
            )

    @api.constrains("disposition", "equipment_id")
    def _check_classified_disposition(self):
        for line in self:
            if line.disposition == "remarket" and line.equipment_id.is_classified:
                raise ValidationError(
                    self.env._(
                        "Device %(device)s holds classified information and can "
                        "never be remarketed: its media must be destroyed.",
                        device=line.equipment_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        batches = self.env["it.disposal.batch"].browse(
            [vals["batch_id"] for vals in vals_list if vals.get("batch_id")]
        )
        for batch in batches:
            if batch.state != "draft":
                raise UserError(
                    self.env._(
                        "Crate %(crate)s is sealed: no device can be added.",
                        crate=batch.display_name,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        self._check_writable(set(vals))
        return super().write(vals)

    def _check_writable(self, field_names):
        """Refuse what the crate's state no longer allows, to any caller, and
        the receipt and agreement to any caller but the crate's actions (a
        changed computed field is refused by the system fields mixin)."""
        system = field_names & self._it_system_field_names()
        if self.env.su:
            # A step of the crate: what it writes besides its system fields
            # still follows the crate's state.
            field_names = field_names - system
        elif any(not self._fields[name].compute for name in system):
            raise UserError(
                self.env._(
                    "Receipt and agreement change only through the crate's "
                    "actions (confirm receipt, agree, dispute)."
                )
            )
        for line in self:
            state = line.batch_id.state
            if field_names - RECIPIENT_FIELDS and state != "draft":
                raise UserError(
                    self.env._(
                        "Crate %(crate)s is sealed: device %(device)s cannot be "
                        "changed or moved.",
                        crate=line.batch_id.display_name,
                        device=line.equipment_id.display_name,
                    )
                )
            if field_names & RECIPIENT_FIELDS and (
                state
                not in (*self.env["it.disposal.batch"]._get_grading_states(), "draft")
                or line.agreement_state == "agreed"
            ):
                raise UserError(
                    self.env._(
                        "Device %(device)s in crate %(crate)s: the grade and "
                        "value can no longer be changed (crate %(state)s, "
                        "%(agreement)s).",
                        device=line.equipment_id.display_name,
                        crate=line.batch_id.display_name,
                        state=line.batch_id._state_label(),
                        agreement=selection_label(line, "agreement_state"),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for line in self:
            if line.batch_id.state != "draft":
                raise UserError(
                    self.env._(
                        "Crate %(crate)s is sealed: device %(device)s cannot be "
                        "removed.",
                        crate=line.batch_id.display_name,
                        device=line.equipment_id.display_name,
                    )
                )

    def _write_as_step(self, vals):
        """Write ``vals`` as a step of the crate (receipt, agree, dispute):
        the user may write these lines, the step writes what only it may."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _end_lease(self, date):
        """End the lease lines of returned devices on ``date``."""
        for line in self.filtered(lambda line: line.reason == "return"):
            # Ending a lease line is the lease addon's own step; the crate's
            # receipt is its cause, whoever confirms it.
            line.lease_line_id.sudo()._register_return(date)

    def _check_can_review(self):
        for line in self:
            if line.batch_id.state not in ("graded", "disputed"):
                raise UserError(
                    self.env._(
                        "Crate %(crate)s is %(state)s: devices are agreed or "
                        "disputed once graded.",
                        crate=line.batch_id.display_name,
                        state=line.batch_id._state_label(),
                    )
                )

    def action_agree(self):
        """The municipality agrees with the grade and value of these devices."""
        self._check_can_review()
        for line in self.filtered(lambda line: line.agreement_state != "agreed"):
            was_disputed = line.agreement_state == "disputed"
            line._write_as_step({"agreement_state": "agreed"})
            if was_disputed:
                line.batch_id._log_event(
                    "agreed",
                    lines=line,
                    note=self.env._(
                        "Dispute resolved: offered %(value)s, damage %(damage)s.",
                        value=line.offered_value,
                        damage=line.damage_charge,
                    ),
                )
        self.batch_id._on_dispute_change()
        return True

    def action_dispute(self, reason):
        """Dispute the grade or value of these devices, with a reason; the
        crate is disputed and its responsible gets an activity."""
        self._check_can_review()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the dispute."))
        for line in self:
            line._write_as_step(
                {"agreement_state": "disputed", "dispute_reason": reason.strip()}
            )
            line.batch_id._log_event(
                "disputed", lines=line, note=line._get_dispute_note(reason)
            )
            schedule_activity(
                line.batch_id,
                line.batch_id.user_id or self.env.user,
                lambda batch, line=line: (
                    False,
                    line.with_env(batch.env)._get_dispute_note(reason),
                ),
                "municipal_it_disposal.mail_activity_type_disposal_dispute",
            )
        self.batch_id._on_dispute_change()
        return True

    def _get_dispute_note(self, reason):
        self.ensure_one()
        return self.env._(
            "Device %(device)s disputed: %(reason)s",
            device=self.equipment_id.display_name,
            reason=reason.strip(),
        )

    def action_open_dispute(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "it.disposal.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": str(self.ids),
                "default_action": "dispute",
            },
        }
