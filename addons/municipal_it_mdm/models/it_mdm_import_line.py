# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.access import IT_USER, check_groups

LINE_STATUSES = [
    ("update", "Update"),
    ("unchanged", "Unchanged"),
    ("older", "Older than the register"),
    ("not_in_register", "Not in the register"),
]
# What may still change on a row of an applied import: what IT decided about
# a device seen but not registered, by the review buttons only.
RESOLUTION_FIELDS = {"resolution", "equipment_id"}


class ItMdmImportLine(models.Model):
    """One row of a device-management export: the device it matches, what
    the register would get from it, and for an unknown device what IT did.

    A row is what the export said and what the register got from it: users
    only read the rows (``ir.model.access.csv``), the import's own steps
    (Preview, Apply, the review buttons) write them with ``sudo()`` once they
    checked their user's rights. Set by hand, an applied import would say
    anything: a row would read "Device Created" with no device created, or
    move its changes into another device's history."""

    _name = "it.mdm.import.line"
    _description = "Device Management Import Row"
    _order = "import_id desc, row, id"
    _check_company_auto = True

    import_id = fields.Many2one(
        "it.mdm.import", required=True, ondelete="cascade", index=True
    )
    import_state = fields.Selection(related="import_id.state", string="Import State")
    source_id = fields.Many2one(related="import_id.source_id", store=True)
    company_id = fields.Many2one(related="import_id.company_id", store=True, index=True)
    row = fields.Integer(help="Row of the export file.")
    serial_no = fields.Char(string="Serial Number (file)")
    serial_normalized = fields.Char(index=True)
    equipment_id = fields.Many2one(
        "maintenance.equipment", string="Device", index=True, check_company=True
    )
    status = fields.Selection(selection=LINE_STATUSES, index=True, readonly=True)
    changes = fields.Text(
        readonly=True, help="What the register gets from this row: old → new."
    )
    device_name = fields.Char(string="Device Name (file)")
    primary_user = fields.Char(string="Primary User (file)")
    user_id = fields.Many2one("res.users", string="Matched User")
    employee_id = fields.Many2one(
        "hr.employee", string="Matched Employee", check_company=True
    )
    os_name = fields.Char(string="Operating System (file)")
    os_version = fields.Char(string="OS Version (file)")
    last_checkin = fields.Datetime(string="Last Check-in (file)")
    resolution = fields.Selection(
        selection=[
            ("open", "To Review"),
            ("created", "Device Created"),
            ("dismissed", "Dismissed"),
            ("superseded", "Seen Again Later"),
        ],
        readonly=True,
        index=True,
        help="For a device seen but not in the register: what IT did about it. "
        "Seen again in a later import, the later row is the one to review.",
    )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        # The user's missing right first, before any other message.
        self.check_access("create")
        imports = self.env["it.mdm.import"].browse(
            {vals["import_id"] for vals in vals_list if vals.get("import_id")}
        )
        done = imports.filtered(lambda rec: rec.state == "done")
        if done:
            done[:1]._raise_done()
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if set(vals) - RESOLUTION_FIELDS:
            self._check_not_done()
        if vals.get("import_id"):
            # Moved into an applied import, a row would be added to it.
            target = self.env["it.mdm.import"].browse(vals["import_id"])
            if target.state == "done":
                target._raise_done()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        self.check_access("unlink")
        self._check_not_done()

    def _check_not_done(self):
        done = self.import_id.filtered(lambda rec: rec.state == "done")
        if done:
            done[:1]._raise_done()

    # Actions

    def action_create_device(self):
        """Register the devices seen but not in the register, with what the
        export says of them, and show them."""
        check_groups(
            self,
            self.env._("register a device seen by device management"),
            IT_USER,
            operation="read",
        )
        self._check_reviewable()
        Equipment = self.env["maintenance.equipment"]
        existing = {
            (device.company_id.id, device.serial_no_normalized): device
            for device in Equipment.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("serial_no_normalized", "in", self.mapped("serial_normalized")),
                ],
                ["company_id", "serial_no_normalized", "name"],
            )
        }
        for line in self:
            if (line.company_id.id, line.serial_normalized) in existing:
                raise UserError(
                    self.env._(
                        "Serial number %(serial)s is already in the register (%(device)s); "
                        "the next import updates it.",
                        serial=line.serial_no,
                        device=existing[
                            line.company_id.id, line.serial_normalized
                        ].display_name,
                    )
                )
        devices = Equipment.create([line._prepare_device_vals() for line in self])
        for line, device in zip(self, devices, strict=True):
            line.sudo().write({"equipment_id": device.id, "resolution": "created"})
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.maintenance_equipment_action_it"
        )
        if len(devices) == 1:
            action.update(
                {"res_id": devices.id, "view_mode": "form", "views": [(False, "form")]}
            )
        else:
            action["domain"] = [("id", "in", devices.ids)]
        return action

    def action_dismiss(self):
        """Mark devices seen but not in the register as known and not to be
        registered (a personal or test device); later imports keep them
        dismissed."""
        check_groups(
            self,
            self.env._("dismiss a device seen by device management"),
            IT_USER,
            operation="read",
        )
        self._check_reviewable()
        self.sudo().write({"resolution": "dismissed"})
        return True

    def action_reopen(self):
        check_groups(
            self, self.env._("reopen a dismissed device"), IT_USER, operation="read"
        )
        for line in self:
            if line.resolution != "dismissed":
                raise UserError(
                    self.env._(
                        "Row %(row)s of %(name)s is not dismissed.",
                        row=line.row,
                        name=line.import_id.name,
                    )
                )
        self.sudo().write({"resolution": "open"})
        return True

    # Business methods

    def _check_reviewable(self):
        for line in self:
            if line.import_id.state != "done" or line.resolution != "open":
                raise UserError(
                    self.env._(
                        "Row %(row)s of %(name)s (serial number %(serial)s) is not "
                        "a device to review: only an open row of an applied import "
                        "that is not in the register is.",
                        row=line.row,
                        name=line.import_id.name,
                        serial=line.serial_no,
                    )
                )

    def _prepare_device_vals(self):
        self.ensure_one()
        return {
            "name": self.device_name or self.serial_no,
            "serial_no": self.serial_no,
            "company_id": self.company_id.id,
            "mdm_device_name": self.device_name,
            "mdm_primary_user": self.primary_user,
            "mdm_user_id": self.user_id.id,
            "mdm_employee_id": self.employee_id.id,
            "mdm_os": self.os_name,
            "os_version": self.os_version,
            "mdm_last_checkin": self.last_checkin,
            "mdm_source_id": self.last_checkin and self.source_id.id,
        }

    def _get_register_values(self, mapped):
        """{register field: value} this row gives, for the fields that the
        file's columns gave (``mapped``)."""
        self.ensure_one()
        values = {
            "mdm_device_name": self.device_name,
            "mdm_primary_user": self.primary_user,
            "mdm_os": self.os_name,
            "os_version": self.os_version,
        }
        values = {name: value for name, value in values.items() if name in mapped}
        if "mdm_primary_user" in values:
            values["mdm_user_id"] = self.user_id.id
            values["mdm_employee_id"] = self.employee_id.id
        if self.last_checkin:
            values["mdm_last_checkin"] = self.last_checkin
            values["mdm_source_id"] = self.source_id.id
        return values
