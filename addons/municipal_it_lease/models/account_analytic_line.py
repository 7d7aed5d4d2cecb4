# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

from ..tools.guard import is_internal


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    def _check_it_charge_protected(self):
        if is_internal(self.env):
            return
        protected = self.sudo().move_line_id.move_id._get_it_charge_protected()
        if protected:
            protected._raise_it_charge_protected()

    def write(self, vals):
        self._check_it_charge_protected()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_it_charge(self):
        self._check_it_charge_protected()
