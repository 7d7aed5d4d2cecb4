# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    it_charge_run_id = fields.Many2one(
        comodel_name="it.charge.run",
        string="IT Lease Charge Run",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _reverse_moves(self, default_values_list=None, cancel=False):
        reversals = super()._reverse_moves(
            default_values_list=default_values_list, cancel=cancel
        )
        # A reversed charge frees its month for a corrected run.
        self.it_charge_run_id._mark_reversed()
        return reversals

    def button_draft(self):
        if any(move.it_charge_run_id and move.state == "posted" for move in self):
            raise UserError(
                self.env._(
                    "An IT lease charge is corrected by reversing its journal "
                    "entry and running the month again, never by editing it."
                )
            )
        return super().button_draft()
