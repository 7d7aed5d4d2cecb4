# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

# What a posted settlement move is besides what the lease addon guards on
# every protected entry: its counterparty, date and type.
PROTECTED_DISPOSAL_MOVE_FIELDS = {
    "partner_id",
    "invoice_date",
    "move_type",
    "it_disposal_batch_id",
}


class AccountMove(models.Model):
    """A crate's settlement credit note and damage bill are guarded as the
    monthly charge entries are (the lease addon's ``_get_it_charge_protected``
    hook): once posted they are corrected by a reversal only, never reset to
    draft, edited, cancelled or deleted, by accounting administrators too."""

    _inherit = "account.move"

    it_disposal_batch_id = fields.Many2one(
        comodel_name="it.disposal.batch",
        string="Return Crate Settled",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _get_it_disposal_protected(self):
        """Posted settlement moves of a crate and their posted reversals."""
        return self.filtered(
            lambda move: (
                move.state == "posted"
                and (
                    move.it_disposal_batch_id
                    or move.reversed_entry_id.it_disposal_batch_id
                )
            )
        )

    def _get_it_charge_protected(self):
        return super()._get_it_charge_protected() | self._get_it_disposal_protected()

    def _raise_it_charge_protected(self):
        disposal = self._get_it_disposal_protected()
        if not disposal:
            return super()._raise_it_charge_protected()
        raise UserError(
            self.env._(
                "%(move)s settles return crate %(crate)s: once posted it cannot be "
                "edited, reset to draft, cancelled or deleted. Correct it with a "
                "reversal (Reverse), then record the correct amount in a new entry.",
                move=disposal[0].display_name,
                crate=(
                    disposal[0].it_disposal_batch_id
                    or disposal[0].reversed_entry_id.it_disposal_batch_id
                ).display_name,
            )
        )

    @api.depends("it_disposal_batch_id", "reversed_entry_id")
    def _compute_show_reset_to_draft_button(self):
        result = super()._compute_show_reset_to_draft_button()
        for move in self._get_it_disposal_protected():
            move.show_reset_to_draft_button = False
        return result

    @api.model_create_multi
    def create(self, vals_list):
        # Settling a crate creates them, as its own step (sudo()).
        if not self.env.su and any(
            vals.get("it_disposal_batch_id") for vals in vals_list
        ):
            raise UserError(
                self.env._("Only settling a return crate creates its settlement moves.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if "it_disposal_batch_id" in vals and not self.env.su:
            raise UserError(
                self.env._("Only settling a return crate creates its settlement moves.")
            )
        if PROTECTED_DISPOSAL_MOVE_FIELDS & vals.keys():
            protected = self._get_it_disposal_protected()
            if protected:
                protected._raise_it_charge_protected()
        return super().write(vals)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # What an invoice line's amount is made of (the lease addon guards the
    # accounting fields of every protected entry's lines).
    _it_disposal_protected_line_fields = {
        "price_unit",
        "quantity",
        "discount",
        "product_id",
        "tax_ids",
        "account_id",
        "balance",
        "debit",
        "credit",
        "amount_currency",
        "partner_id",
        "move_id",
    }

    def write(self, vals):
        if self._it_disposal_protected_line_fields & vals.keys():
            protected = self.move_id._get_it_disposal_protected()
            if protected:
                protected._raise_it_charge_protected()
        return super().write(vals)
