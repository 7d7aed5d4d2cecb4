# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.municipal_it_lease.tools.access import IT_USER, check_groups
from odoo.addons.municipal_it_lease.tools.chatter import log_note

from .it_mdm_import_line import LINE_STATUSES

# Written with one SQL statement for all devices: they change at every import
# and are not tracked, so the ORM would write them one device at a time.
CHECKIN_FIELDS = ("mdm_last_checkin", "mdm_source_id")
# Rows handled at a time by Preview and Apply: the records of one chunk leave
# the cache before the next, so memory stays flat for a city's export.
CHUNK = 5000
MAIL_FIELDS = {
    "message_main_attachment_id",
    "message_follower_ids",
    "message_ids",
    "activity_ids",
    "website_message_ids",
}


class ItMdmImport(models.Model):
    """One export of a device-management system: previewed row by row
    against the register, then applied to it all at once."""

    _name = "it.mdm.import"
    _description = "Device Management Import"
    _inherit = ["mail.thread", "mail.activity.mixin", "it.system.fields.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    source_id = fields.Many2one(
        "it.mdm.source",
        string="Source",
        required=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(string="Export File", attachment=True)
    filename = fields.Char()
    # Written by Preview and Apply only: an import that was never applied
    # must not read "Applied by", nor stop its own deletion. The state has its
    # own message on write (see ``write``).
    state = fields.Selection(
        selection=[("draft", "Draft"), ("preview", "Previewed"), ("done", "Applied")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        it_system=True,
    )
    mapped_fields = fields.Char(
        readonly=True,
        copy=False,
        it_system=True,
        help="Register fields the file's columns gave at the preview.",
    )
    date_applied = fields.Datetime(readonly=True, copy=False, it_system=True)
    applied_uid = fields.Many2one(
        "res.users", string="Applied By", readonly=True, copy=False, it_system=True
    )
    line_ids = fields.One2many("it.mdm.import.line", "import_id", string="Rows")
    line_count = fields.Integer(compute="_compute_counts")
    update_count = fields.Integer(compute="_compute_counts")
    unchanged_count = fields.Integer(compute="_compute_counts")
    not_in_register_count = fields.Integer(compute="_compute_counts")
    older_count = fields.Integer(compute="_compute_counts")

    @api.depends("source_id.name", "create_date")
    def _compute_name(self):
        for record in self:
            date = fields.Date.context_today(record, record.create_date)
            record.name = f"{record.source_id.name or ''} {date}".strip()

    def _compute_counts(self):
        groups = self.env["it.mdm.import.line"]._read_group(
            [("import_id", "in", self.ids)],
            groupby=["import_id", "status"],
            aggregates=["__count"],
        )
        counts = defaultdict(dict)
        for record, status, count in groups:
            counts[record][status] = count
        for record in self:
            per = counts.get(record, {})
            record.line_count = sum(per.values())
            for status, _label in LINE_STATUSES:
                record[f"{status}_count"] = per.get(status, 0)

    # CRUD

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        if "state" in vals:
            raise UserError(
                self.env._(
                    "The state of a device management import changes by its "
                    "Preview and Apply buttons only."
                )
            )
        if set(vals) - MAIL_FIELDS:
            done = self.filtered(lambda rec: rec.state == "done")
            if done:
                done[:1]._raise_done()
        previewed = self.browse()
        if {"file", "source_id"} & set(vals):
            previewed = self.filtered(lambda rec: rec.state == "preview")
        res = super().write(vals)
        if previewed:
            # Another file or mapping: the preview no longer tells what Apply
            # would write.
            previewed = previewed.sudo()
            previewed.line_ids.unlink()
            previewed.write({"state": "draft", "mapped_fields": False})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        done = self.filtered(lambda rec: rec.state == "done")
        if done:
            done[:1]._raise_done()

    def _raise_done(self):
        raise UserError(
            self.env._(
                "Import %(name)s is applied: it is the record of what changed in "
                "the register and cannot be changed or deleted.",
                name=self.name,
            )
        )

    # Actions

    def action_preview(self):
        """Read the file with the source's mapping and list, row by row, the
        device it matches and what would change; refuse a file with any bad
        row, naming its row and column, with nothing written."""
        check_groups(self, self.env._("preview a device management import"), IT_USER)
        for record in self:
            record._preview()
        return True

    def action_apply(self):
        """Write every change of the preview to the register in one go; an
        import is applied once."""
        check_groups(self, self.env._("apply a device management import"), IT_USER)
        self._lock()
        for record in self:
            record._apply()
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_mdm.it_mdm_import_line_action"
        )
        action["domain"] = [("import_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # Apply

    def _lock(self):
        """Lock the imports until commit: a second click, or a second user,
        waits and then finds them applied."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM it_mdm_import WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["state"])

    def _apply(self):
        self.ensure_one()
        self._check_applicable()
        grouped, checkins = self._collect_changes()
        # The import's lines are the devices' history of what an export
        # changed (old -> new, the device's "Seen by MDM" button): a chatter
        # message per device and export on top would be 100,000 messages a
        # month in a city, and most of the time of Apply.
        Equipment = self.env["maintenance.equipment"].with_context(
            tracking_disable=True
        )
        for count, (items, device_ids) in enumerate(grouped.items(), start=1):
            Equipment.browse(device_ids).write(dict(items))
            if not count % CHUNK:
                self._free_cache()
        if checkins:
            devices = Equipment.browse(list(checkins))
            devices.check_access("write")
            self._write_checkins(checkins)
        self._carry_forward_resolutions()
        self.sudo().write(
            {
                "state": "done",
                "date_applied": fields.Datetime.now(),
                "applied_uid": self.env.uid,
            }
        )
        log_note(
            self,
            body=self.env._(
                "Applied to the register: %(update)s devices updated, %(unchanged)s "
                "unchanged, %(older)s older than the register, %(unknown)s not in "
                "the register.",
                update=self.update_count,
                unchanged=self.unchanged_count,
                older=self.older_count,
                unknown=self.not_in_register_count,
            ),
        )

    def _check_applicable(self):
        """Refuse applying an import twice, or before its preview."""
        if self.state == "done":
            raise UserError(
                self.env._(
                    "Import %(name)s was already applied on %(date)s by %(user)s: an "
                    "export is applied once. Import a new export instead.",
                    name=self.name,
                    date=fields.Datetime.to_string(self.date_applied),
                    user=self.applied_uid.name,
                )
            )
        if self.state != "preview":
            raise UserError(
                self.env._(
                    "Import %(name)s: preview it before applying it.", name=self.name
                )
            )

    def _collect_changes(self):
        """({((field, value), ...): [device id]}, {device id: check-in}): the
        changes of the register, compared afresh with each row's device,
        grouped by the values written; the rows follow the comparison."""
        mapped = set((self.mapped_fields or "").split(","))
        Line = self.env["it.mdm.import.line"]
        line_ids = Line.search(
            [("import_id", "=", self.id), ("equipment_id", "!=", False)], order="id"
        ).ids
        grouped, checkins = defaultdict(list), {}
        for chunk in split_every(CHUNK, line_ids):
            for line in Line.browse(chunk):
                values = line._get_register_values(mapped)
                status, changes = self._compare(line.equipment_id, values)
                description = self._describe_changes(line.equipment_id, changes)
                if (status, description or False) != (
                    line.status,
                    line.changes or False,
                ):
                    line.sudo().write({"status": status, "changes": description})
                tracked = {
                    name: value
                    for name, value in changes.items()
                    if name not in CHECKIN_FIELDS
                }
                if tracked:
                    grouped[tuple(sorted(tracked.items()))].append(line.equipment_id.id)
                if any(name in changes for name in CHECKIN_FIELDS):
                    checkins[line.equipment_id.id] = values["mdm_last_checkin"]
            self._free_cache()
        return grouped, checkins

    def _free_cache(self):
        """Write what is pending, then drop the records read so far."""
        self.env.flush_all()
        self.env.invalidate_all()

    def _write_checkins(self, checkins):
        """Write the check-in and source of many devices with one statement."""
        self.env.flush_all()
        device_ids = list(checkins)
        self.env.cr.execute(
            SQL(
                """
UPDATE maintenance_equipment equipment
   SET mdm_last_checkin = new.checkin,
       mdm_source_id = %(source)s,
       write_uid = %(uid)s,
       write_date = NOW() AT TIME ZONE 'UTC'
  FROM unnest(%(ids)s::int[], %(checkins)s::timestamp[]) AS new(id, checkin)
 WHERE equipment.id = new.id
""",
                source=self.source_id.id,
                uid=self.env.uid,
                ids=device_ids,
                checkins=[checkins[device_id] for device_id in device_ids],
            )
        )
        self.env["maintenance.equipment"].invalidate_model(
            ["mdm_last_checkin", "mdm_source_id", "write_uid", "write_date"]
        )

    def _carry_forward_resolutions(self):
        """Each unknown serial is listed once: the open line of an earlier
        import is superseded by this one, and a serial dismissed before stays
        dismissed."""
        unknown = self.line_ids.filtered(lambda line: line.status == "not_in_register")
        if not unknown:
            return
        earlier = self.env["it.mdm.import.line"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("status", "=", "not_in_register"),
                ("serial_normalized", "in", unknown.mapped("serial_normalized")),
                ("import_id", "!=", self.id),
                ("import_id.state", "=", "done"),
                ("resolution", "in", ("open", "dismissed")),
            ]
        )
        dismissed = {
            line.serial_normalized for line in earlier if line.resolution == "dismissed"
        }
        earlier = earlier.sudo()
        earlier.filtered(lambda line: line.resolution == "open").write(
            {"resolution": "superseded"}
        )
        unknown = unknown.sudo()
        unknown.filtered(lambda line: line.serial_normalized in dismissed).write(
            {"resolution": "dismissed"}
        )
