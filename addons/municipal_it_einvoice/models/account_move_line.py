# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def action_register_payment(self, ctx=None):
        self.move_id._it_check_not_held()
        return super().action_register_payment(ctx=ctx)

    def reconcile(self):
        """A held bill is not paid: its payable line is not matched with a
        payment or a bank statement line (a credit note may still be set
        against it)."""
        moves = self.move_id
        held = moves.filtered("it_einvoice_hold")
        if held and (moves - held).filtered(
            lambda move: move.origin_payment_id or move.statement_line_id
        ):
            held._it_check_not_held()
        return super().reconcile()
