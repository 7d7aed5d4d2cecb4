# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

INTERNAL = "base.group_user"


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    # Users' names, internal notes and the cost centre never reach a portal
    # user through the ORM; the portal shows the activity code only where the
    # company allows it, read by the controller after the access check.
    owner_user_id = fields.Many2one(groups=INTERNAL)
    technician_user_id = fields.Many2one(groups=INTERNAL)
    employee_id = fields.Many2one(groups=INTERNAL)
    department_id = fields.Many2one(groups=INTERNAL)
    equipment_assign_to = fields.Selection(groups=INTERNAL)
    assign_date = fields.Date(groups=INTERNAL)
    note = fields.Html(groups=INTERNAL)
    cost = fields.Float(groups=INTERNAL)
    activity_code_plan_id = fields.Many2one(groups=INTERNAL)
    activity_code_id = fields.Many2one(groups=INTERNAL)
    activity_code_history_ids = fields.One2many(groups=INTERNAL)
    it_charge_line_count = fields.Integer(groups=INTERNAL)
    it_code_history_count = fields.Integer(groups=INTERNAL)
    it_lease_line_count = fields.Integer(groups=INTERNAL)
    it_reconciliation_line_count = fields.Integer(groups=INTERNAL)

    def _it_portal_activity_code(self):
        """The activity code a portal user may see: only where the device's
        company shows activity codes to lessors."""
        self.ensure_one()
        device = self.sudo()
        if device.company_id.it_portal_show_activity_code:
            return device.activity_code_id.display_name or ""
        return ""
