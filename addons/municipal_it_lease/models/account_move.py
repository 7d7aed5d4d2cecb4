# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

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
    _name = "account.move"
    _inherit = ["account.move", "it.system.fields.mixin"]

    # Set by posting a charge run only.
    it_charge_run_id = fields.Many2one(
        comodel_name="it.charge.run",
        string="IT Lease Charge Run",
        readonly=True,
        copy=False,
        index="btree_not_null",
        it_system=True,
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

    def _check_it_charge_reversal_link(self, reversed_ids):
        """A charge entry is reversed by Odoo's reversal only (its charge run
        ▸ Reverse, or Reverse on the entry): an entry linked to it by hand
        would free its month for a second charge without undoing the first.
        Odoo's reversal runs as superuser (see ``_reverse_moves``)."""
        if self.env.su:
            return
        charges = (
            self.env["account.move"]
            .sudo()
            .browse(reversed_ids)
            .exists()
            .filtered("it_charge_run_id")
        )
        if charges:
            raise UserError(
                self.env._(
                    "Journal entry %(move)s is an IT lease charge: only its "
                    "reversal (its charge run ▸ Reverse) may reverse it.",
                    move=charges[0].display_name,
                )
            )

    def _check_it_charge_reversible(self):
        """A charge entry is reversed once: a second reversal would give the
        month back twice, leaving it short once it is charged again."""
        for charge in self.filtered("it_charge_run_id"):
            pending = charge.reversal_move_ids.filtered(
                lambda move: move.state != "cancel"
            )
            if pending or charge.it_charge_run_id.state != "posted":
                raise UserError(
                    self.env._(
                        "The IT lease charge %(move)s is reversed already "
                        "(%(reversals)s): a charge is reversed once.",
                        move=charge.display_name,
                        reversals=", ".join(pending.mapped("display_name")) or "-",
                    )
                )

    def _check_it_charge_reversal_whole(self):
        """The reversal of a charge entry gives back every amount of it, per
        account and analytic distribution, or it is not posted: a charge is
        corrected by reversing it whole and running the month again."""
        for move in self.filtered(lambda move: move.reversed_entry_id.it_charge_run_id):
            charge = move.reversed_entry_id
            rounding = charge.company_id.currency_id.rounding
            # Each amount of the reversal is the charge's, negated: per
            # account and analytic distribution, the two add up to nothing.
            totals = defaultdict(float)
            for line in charge.line_ids | move.line_ids:
                key = (
                    line.account_id.id,
                    json.dumps(line.analytic_distribution or {}, sort_keys=True),
                )
                totals[key] += line.balance
            if any(
                not float_is_zero(total, precision_rounding=rounding)
                for total in totals.values()
            ):
                raise UserError(
                    self.env._(
                        "Journal entry %(move)s reverses the IT lease charge "
                        "%(charge)s only in part: a charge is reversed whole "
                        "(its charge run ▸ Reverse), then the month is run again.",
                        move=move.display_name,
                        charge=charge.display_name,
                    )
                )

    def write(self, vals):
        if vals.get("reversed_entry_id"):
            self._check_it_charge_reversal_link([vals["reversed_entry_id"]])
        # Checked for every caller, the superuser included: what a posted
        # charge is depends on the entry, not on who writes.
        if PROTECTED_MOVE_FIELDS & vals.keys():
            protected = self._get_it_charge_protected()
            if protected:
                protected._raise_it_charge_protected()
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        # Given in the values, or as the request context's default.
        default = self.env.context.get("default_reversed_entry_id")
        self._check_it_charge_reversal_link(
            [
                vals.get("reversed_entry_id", default)
                for vals in vals_list
                if vals.get("reversed_entry_id", default)
            ]
        )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_it_charge(self):
        protected = self._get_it_charge_protected() | self.filtered("it_charge_run_id")
        if protected:
            protected._raise_it_charge_protected()

    @api.depends("it_charge_run_id", "reversed_entry_id.it_charge_run_id")
    def _compute_show_reset_to_draft_button(self):
        # No button that can only refuse: a posted charge entry (or its
        # posted reversal) is never reset to draft (see button_draft).
        res = super()._compute_show_reset_to_draft_button()
        self._get_it_charge_protected().show_reset_to_draft_button = False
        return res

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

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._check_it_charge_reversible()
        if not self.filtered("it_charge_run_id"):
            return super()._reverse_moves(
                default_values_list=default_values_list, cancel=cancel
            )
        # Odoo's reversal is the only step that links an entry to a charge it
        # reverses (_check_it_charge_reversal_link): it runs as superuser once
        # the user's right to change these entries is checked.
        self.check_access("write")
        reversals = super(AccountMove, self.sudo())._reverse_moves(
            default_values_list=default_values_list, cancel=cancel
        )
        return reversals.with_env(self.env)

    def _post(self, soft=True):
        self._check_it_charge_reversal_whole()
        posted = super()._post(soft=soft)
        # A charge's month is free again only once its reversal is posted: a
        # draft reversal dated in the future still leaves the month charged.
        posted.filtered(
            lambda move: move.reversed_entry_id.it_charge_run_id
        ).reversed_entry_id.it_charge_run_id._mark_reversed()
        return posted
