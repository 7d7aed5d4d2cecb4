# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.guard import is_internal

# What a posted charge entry is: none of it changes once posted.
PROTECTED_MOVE_FIELDS = {
    "state",
    "line_ids",
    "invoice_line_ids",
    "journal_id",
    "date",
    "company_id",
    "currency_id",
    "it_charge_run_id",
    "reversed_entry_id",
    "auto_post",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    it_charge_run_id = fields.Many2one(
        comodel_name="it.charge.run",
        string="IT Lease Charge Run",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _get_it_charge_protected(self):
        """Posted charge entries and their posted reversals. A draft reversal
        (dated in the future) may still be changed: until it is posted, the
        month stays charged."""
        return self.filtered(
            lambda move: (
                move.state == "posted"
                and (move.it_charge_run_id or move.reversed_entry_id.it_charge_run_id)
            )
        )

    def _raise_it_charge_protected(self):
        raise UserError(
            self.env._(
                "Journal entry %(move)s is an IT lease charge (or its reversal): it "
                "cannot be edited, reset to draft, detached or deleted. Correct a "
                "charge by reversing it from its charge run (IT Leasing ▸ Finance ▸ "
                "Monthly Charge Runs ▸ Reverse) and running the month again.",
                move=self[:1].display_name,
            )
        )

    def write(self, vals):
        if PROTECTED_MOVE_FIELDS & vals.keys() and not is_internal(self.env):
            protected = self._get_it_charge_protected()
            if protected:
                protected._raise_it_charge_protected()
            if "it_charge_run_id" in vals and self.filtered("it_charge_run_id"):
                self.filtered("it_charge_run_id")._raise_it_charge_protected()
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env) and any(
            vals.get("it_charge_run_id") for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "Only a charge run creates the journal entry of an IT lease charge."
                )
            )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_it_charge(self):
        protected = self._get_it_charge_protected() | self.filtered("it_charge_run_id")
        if protected and not is_internal(self.env):
            protected._raise_it_charge_protected()

    def button_draft(self):
        protected = self._get_it_charge_protected()
        if protected:
            protected._raise_it_charge_protected()
        return super().button_draft()

    def button_cancel(self):
        protected = self._get_it_charge_protected()
        if protected:
            protected._raise_it_charge_protected()
        return super().button_cancel()

    def action_view_it_charge_items(self):
        """The charge entry's lines with their account, activity code and
        counterparty code, readable with invoicing rights."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Journal Items of %(move)s", move=self.display_name),
            "res_model": "account.move.line",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "municipal_it_lease.account_move_line_view_list_it_charge"
                    ).id,
                    "list",
                )
            ],
            "domain": [
                ("move_id", "=", self.id),
                ("display_type", "not in", ("line_section", "line_note")),
            ],
            "context": {"create": False},
        }

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # A charge's month is free again only once its reversal is posted: a
        # draft reversal dated in the future still leaves the month charged.
        posted.filtered(
            lambda move: move.reversed_entry_id.it_charge_run_id
        ).reversed_entry_id.it_charge_run_id._mark_reversed()
        return posted
