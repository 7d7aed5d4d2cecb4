# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    # The motpart on the analytic side is a stored field read from the
    # journal item, not a "Motpart" analytic plan. A plan would put the
    # motpart into every charge line's analytic distribution ("activity
    # code, motpart" keys instead of the activity code alone, which the
    # posted-charge tests and reports read), and it would need a motpart
    # analytic account per company kept in step with the counterparty code
    # written on the journal items: two records of one fact. The related
    # field has one source, the journal item's code, which is already
    # protected on posted charges; it is filled when posting creates the
    # analytic lines and recomputed by the ORM, never through write(), so
    # the guard below on a posted charge's analytic lines stays as it is.
    it_counterparty_code = fields.Char(
        string="Counterparty Code",
        related="move_line_id.it_counterparty_code",
        store=True,
        index="btree_not_null",
        help="Internal counterparty (motpart) of the journal item, to group "
        "analytic reporting by it and eliminate internal postings.",
    )

    def _check_it_charge_protected(self):
        protected = self.sudo().move_line_id.move_id._get_it_charge_protected()
        if protected:
            protected._raise_it_charge_protected()

    def write(self, vals):
        self._check_it_charge_protected()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_it_charge(self):
        self._check_it_charge_protected()
