# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

# The accounting of a charge line: what a posted charge shows.
PROTECTED_LINE_FIELDS = {
    "account_id",
    "balance",
    "debit",
    "credit",
    "amount_currency",
    "currency_id",
    "analytic_distribution",
    "it_counterparty_code",
    "move_id",
    "partner_id",
    "date",
    "tax_ids",
    "display_type",
}


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Filtered on for eliminations (all lines of one motpart) in large
    # ledgers where most lines have none: a partial index of the coded ones.
    it_counterparty_code = fields.Char(
        string="Counterparty Code",
        index="btree_not_null",
        help="Internal counterparty (motpart) of an internal charge, used to "
        "eliminate internal postings in external reporting.",
    )

    def write(self, vals):
        if PROTECTED_LINE_FIELDS & vals.keys():
            protected = self.move_id._get_it_charge_protected()
            if protected:
                protected._raise_it_charge_protected()
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        move_ids = {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        if move_ids:
            protected = (
                self.env["account.move"].browse(move_ids)._get_it_charge_protected()
            )
            if protected:
                protected._raise_it_charge_protected()
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_it_charge(self):
        protected = self.move_id._get_it_charge_protected()
        if protected:
            protected._raise_it_charge_protected()
