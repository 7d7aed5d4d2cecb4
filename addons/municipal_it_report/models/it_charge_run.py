# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ItChargeRun(models.Model):
    _inherit = "it.charge.run"

    def _compute_charge_lines(self):
        """The lease addon writes charge lines in SQL: set their department
        the same way, in one statement."""
        res = super()._compute_charge_lines()
        self.env.cr.execute(
            """
            UPDATE it_charge_line line
               SET department_id = equipment.department_id
              FROM maintenance_equipment equipment
             WHERE line.run_id = %s
               AND equipment.id = line.equipment_id
            """,
            [self.id],
        )
        self.env["it.charge.line"].invalidate_model(["department_id"])
        return res
