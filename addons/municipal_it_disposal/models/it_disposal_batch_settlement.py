# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from .it_disposal_batch import MANAGER_GROUP


class ItDisposalBatch(models.Model):
    """A crate's settlement with its recipient: the agreed residual values
    and damage charges, posted as a credit note and a bill that reference
    the crate, once no device is disputed."""

    _inherit = "it.disposal.batch"

    residual_total = fields.Monetary(
        string="Agreed Residual Value", compute="_compute_amounts"
    )
    damage_total = fields.Monetary(
        string="Agreed Damage Charges", compute="_compute_amounts"
    )
    refund_move_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        it_system=True,
    )
    damage_move_id = fields.Many2one(
        "account.move",
        string="Damage Bill",
        readonly=True,
        copy=False,
        it_system=True,
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

    def _check_it_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only an IT leasing manager may settle a return crate.")
            )

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
            # Prepared first: a missing account stops the settlement before
            # any device leaves the register.
            move_vals = batch._prepare_settlement_moves_vals()
            for line in batch.line_ids:
                line.equipment_id.write(
                    {
                        "lifecycle_state": "remarketed"
                        if line.disposition == "remarket"
                        else "disposed"
                    }
                )
            refund, damage = batch._post_settlement_moves(move_vals)
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

    def _prepare_settlement_moves_vals(self):
        """The values of the crate's credit note (agreed residual values)
        and damage bill (agreed damage charges), of those it needs."""
        self.ensure_one()
        refund_lines = self.line_ids.filtered("offered_value")
        damage_lines = self.line_ids.filtered("damage_charge")
        move_vals = []
        if refund_lines:
            move_vals.append(
                self._prepare_settlement_move_vals("in_refund", refund_lines)
            )
        if damage_lines:
            move_vals.append(
                self._prepare_settlement_move_vals("in_invoice", damage_lines)
            )
        return move_vals

    def _post_settlement_moves(self, move_vals):
        """Create and post the settlement moves of ``move_vals``; returns
        (credit note, damage bill), either possibly empty."""
        self.ensure_one()
        # The IT manager decides (checked by the caller); the moves are the
        # accounting consequence, so they are created without asking
        # accounting rights, by the crate's own step.
        moves = self.env["account.move"].sudo().create(move_vals)
        refund = moves.filtered(lambda move: move.move_type == "in_refund")
        damage = moves - refund
        (refund | damage).action_post()
        return refund, damage

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
