# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.osv import expression


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    mdm_device_name = fields.Char(
        string="Device Name (MDM)",
        tracking=True,
        help="The device's name in the device-management system.",
    )
    mdm_primary_user = fields.Char(
        string="Primary User (MDM)",
        tracking=True,
        help="The primary user the device-management system names, usually "
        "the user's e-mail address (UPN) or login.",
    )
    mdm_user_id = fields.Many2one(
        "res.users",
        string="Primary User Account",
        tracking=True,
        help="The user whose login or e-mail is the primary user (MDM).",
    )
    mdm_employee_id = fields.Many2one(
        "hr.employee",
        string="Primary User Employee",
        tracking=True,
        check_company=True,
        help="The employee whose work e-mail or user is the primary user (MDM).",
    )
    mdm_os = fields.Char(string="Operating System", tracking=True)
    # Not tracked: it changes at every import, a message per device would bury
    # the history that matters.
    mdm_last_checkin = fields.Datetime(
        string="Last Check-in",
        index=True,
        copy=False,
        help="When the device last checked in with device management, as the "
        "last imported export says.",
    )
    mdm_source_id = fields.Many2one(
        "it.mdm.source",
        string="Last MDM Source",
        copy=False,
        index=True,
        check_company=True,
        help="The source of the last check-in.",
    )
    mdm_not_seen = fields.Boolean(
        string="Not Seen",
        compute="_compute_mdm_not_seen",
        search="_search_mdm_not_seen",
        help="In use, but not seen by device management for more than the "
        "source's days, or never seen although the company imports from device "
        "management: lost, stolen or broken?",
    )
    mdm_days_since_checkin = fields.Integer(
        string="Days Since Check-in", compute="_compute_mdm_days_since_checkin"
    )
    mdm_import_line_count = fields.Integer(
        string="Seen by MDM", compute="_compute_mdm_import_line_count"
    )

    def _compute_mdm_not_seen(self):
        not_seen = self.filtered_domain(self._get_mdm_not_seen_domain())
        for equipment in self:
            equipment.mdm_not_seen = equipment in not_seen

    def _search_mdm_not_seen(self, operator, value):
        if operator not in ("=", "!="):
            raise NotImplementedError(operator)
        domain = self._get_mdm_not_seen_domain()
        if (operator == "=") == bool(value):
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.depends("mdm_last_checkin")
    @api.depends_context("tz")
    def _compute_mdm_days_since_checkin(self):
        today = fields.Date.context_today(self)
        for equipment in self:
            checkin = equipment.mdm_last_checkin
            equipment.mdm_days_since_checkin = checkin and (today - checkin.date()).days

    def _compute_mdm_import_line_count(self):
        counts = {}
        if self.env["it.mdm.import.line"].has_access("read"):
            counts = dict(
                self.env["it.mdm.import.line"]._read_group(
                    [("equipment_id", "in", self.ids)],
                    groupby=["equipment_id"],
                    aggregates=["__count"],
                )
            )
        for equipment in self:
            equipment.mdm_import_line_count = counts.get(equipment, 0)

    @api.model
    def _get_mdm_not_seen_domain(self):
        """Devices in use not seen for more days than their last source
        allows (a device seen on day D with N days is flagged from day
        D + N + 1), or never seen in a company that has applied an import."""
        today = fields.Date.context_today(self)
        sources = (
            self.env["it.mdm.source"].sudo().with_context(active_test=False).search([])
        )
        late = [
            [
                ("mdm_source_id", "=", source.id),
                (
                    "mdm_last_checkin",
                    "<",
                    datetime.combine(
                        today - timedelta(days=source.not_seen_days), time.min
                    ),
                ),
            ]
            for source in sources
        ]
        # A company that imports from device management: one without any
        # applied import does not use it, and nothing is "not seen" there.
        companies = [
            company
            for [company] in self.env["it.mdm.import"]
            .sudo()
            ._read_group([("state", "=", "done")], groupby=["company_id"])
        ]
        never = [
            ("mdm_last_checkin", "=", False),
            ("company_id", "in", [company.id for company in companies]),
        ]
        return expression.AND(
            [
                [
                    ("is_it_device", "=", True),
                    ("lifecycle_state", "=", "in_use"),
                    ("active", "=", True),
                ],
                expression.OR([never, *late]),
            ]
        )

    def action_view_mdm_import_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_mdm.it_mdm_import_line_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
