# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.tools import SQL


class ItChargeRun(models.Model):
    _inherit = "it.charge.run"

    def _get_charge_line_extra_values(self):
        """The lease addon writes charge lines in one SQL statement: each line
        gets its device's department in that same statement."""
        return {
            **super()._get_charge_line_extra_values(),
            "department_id": SQL("equipment.department_id"),
        }
