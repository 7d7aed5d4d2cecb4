# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import unicodedata
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.municipal_it_lease.tools.access import IT_USER, check_groups
from odoo.addons.municipal_it_lease.tools.chatter import log_note
from odoo.addons.municipal_it_lease.tools.fileparse import (
    formula_problem,
    raise_errors,
    read_table,
)
from odoo.addons.municipal_it_lease.tools.guard import (
    internal,
    is_internal,
    refuse_system_writes,
    system_create,
)
from odoo.addons.municipal_it_lease.tools.serial import (
    clean_serial,
    serial_key,
    serial_problem,
)
from odoo.addons.municipal_it_lease.tools.spreadsheet import find_columns

from .it_mdm_import_line import LINE_STATUSES, as_import_step

# Register field written from each file column (see it.mdm.source).
COLUMN_FIELDS = {
    "device_name": "mdm_device_name",
    "primary_user": "mdm_primary_user",
    "os_name": "mdm_os",
    "os_version": "os_version",
}
# Compared and written, in the order the changes are listed.
COMPARED_FIELDS = (
    "mdm_device_name",
    "mdm_primary_user",
    "mdm_user_id",
    "mdm_employee_id",
    "mdm_os",
    "os_version",
    "mdm_last_checkin",
    "mdm_source_id",
)
# Written with one SQL statement for all devices: they change at every import
# and are not tracked, so the ORM would write them one device at a time.
CHECKIN_FIELDS = ("mdm_last_checkin", "mdm_source_id")
# A check-in later than now by more than this is a wrong clock or a wrong
# time zone, not a device seen.
FUTURE_TOLERANCE = timedelta(days=1)
# Longest text kept from a file column (a device name, a user's UPN, an
# operating system and its version): a longer cell is a broken export.
MAX_TEXT_LENGTH = 255
# Rows handled at a time by Preview and Apply: the records of one chunk leave
# the cache before the next, so memory stays flat for a city's export.
CHUNK = 5000
# Written by Preview and Apply only (``internal``): an import that was never
# applied must not read "Applied by", nor stop its own deletion. The state has
# its own message on write (see ``write``).
SYSTEM_FIELDS = {"state", "mapped_fields", "date_applied", "applied_uid"}
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
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    state = fields.Selection(
        selection=[("draft", "Draft"), ("preview", "Previewed"), ("done", "Applied")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    mapped_fields = fields.Char(
        readonly=True,
        copy=False,
        help="Register fields the file's columns gave at the preview.",
    )
    date_applied = fields.Datetime(readonly=True, copy=False)
    applied_uid = fields.Many2one(
        "res.users", string="Applied By", readonly=True, copy=False
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

    @api.model_create_multi
    def create(self, vals_list):
        imports = system_create(self, vals_list, SYSTEM_FIELDS)
        return super(ItMdmImport, imports).create(vals_list)

    def write(self, vals):
        refuse_system_writes(self, vals, SYSTEM_FIELDS - {"state"})
        if not is_internal(self.env):
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
            if {"file", "source_id"} & set(vals):
                # Another file or mapping: the preview no longer tells what
                # Apply would write.
                as_import_step(
                    self.filtered(lambda rec: rec.state == "preview").line_ids
                ).unlink()
                vals = dict(vals, state="draft", mapped_fields=False)
        return super().write(vals)

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

    # Preview

    def _preview(self):
        self.ensure_one()
        if self.state == "done":
            self._raise_done()
        if not self.file:
            raise UserError(
                self.env._(
                    "Import %(name)s: upload the export file first.", name=self.name
                )
            )
        rows, mapped = self._parse_file(base64.b64decode(self.file))
        devices = self._match_devices({row["key"] for row in rows})
        people = self._match_people(
            [row["values"].get("mdm_primary_user") for row in rows]
        )
        as_import_step(self.line_ids).unlink()
        Line = as_import_step(self.env["it.mdm.import.line"])
        for chunk in split_every(CHUNK, rows):
            vals_list = []
            for row in chunk:
                values = dict(row["values"])
                if "mdm_primary_user" in values:
                    values.update(
                        people.get(_person_key(values["mdm_primary_user"]), {})
                    )
                    values.setdefault("mdm_user_id", False)
                    values.setdefault("mdm_employee_id", False)
                device = devices.get(row["key"])
                status, changes = self._compare(device, values)
                vals_list.append(
                    {
                        "import_id": self.id,
                        "row": row["row"],
                        "serial_no": row["serial"],
                        "serial_normalized": row["key"],
                        "equipment_id": device.id if device else False,
                        "status": status,
                        "changes": self._describe_changes(device, changes),
                        "resolution": "open" if status == "not_in_register" else False,
                        "device_name": values.get("mdm_device_name") or False,
                        "primary_user": values.get("mdm_primary_user") or False,
                        "user_id": values.get("mdm_user_id") or False,
                        "employee_id": values.get("mdm_employee_id") or False,
                        "os_name": values.get("mdm_os") or False,
                        "os_version": values.get("os_version") or False,
                        "last_checkin": values.get("mdm_last_checkin") or False,
                    }
                )
            Line.create(vals_list)
            self._free_cache()
        self.with_env(internal(self.env)).write(
            {"state": "preview", "mapped_fields": ",".join(mapped)}
        )

    def _parse_file(self, content):
        """([row], [mapped register fields]) of the export; every row as
        {row, serial, key, values: {register field: value}}. A bad row
        refuses the whole file with its row and column named."""
        _ = self.env._
        source = self.source_id
        rows = read_table(content, self.env)
        header_row, header = rows[0]
        try:
            columns = find_columns(header, source._get_columns(), self.env, header_row)
        except UserError as error:
            raise UserError(
                _(
                    "The file does not have the columns of source %(name)s: "
                    "%(error)s Correct the file, or the column names of the source.",
                    name=source.name,
                    error=error.args[0],
                )
            ) from error
        mapped = [COLUMN_FIELDS[key] for key in COLUMN_FIELDS if key in columns]
        now = fields.Datetime.now()
        parsed, errors, seen = [], [], {}

        def column(key):
            index = columns[key]
            return f"{index + 1} ({header[index]})"

        for number, cells in rows[1:]:
            problems = []
            values = {}
            for key, index in columns.items():
                text = cells[index] if index < len(cells) else ""
                problem = key != "serial" and (
                    formula_problem(text, self.env) or self._text_problem(text)
                )
                if problem:
                    problems.append((key, problem))
                elif key in COLUMN_FIELDS:
                    values[COLUMN_FIELDS[key]] = text or False
            serial = clean_serial(cells[columns["serial"]])
            key = serial_key(serial)
            problem = serial_problem(serial, self.env)
            if problem:
                problems.append(("serial", problem))
            elif key in seen:
                problems.append(
                    (
                        "serial",
                        _(
                            "serial number %(serial)s is also on row %(other)s: a "
                            "device is listed once",
                            serial=serial,
                            other=seen[key],
                        ),
                    )
                )
            else:
                seen[key] = number
            checkin, problem = source._parse_checkin(cells[columns["checkin"]])
            if problem:
                problems.append(("checkin", problem))
            elif checkin and checkin > now + FUTURE_TOLERANCE:
                problems.append(
                    (
                        "checkin",
                        _(
                            "the check-in %(checkin)s (UTC) is in the future: check "
                            "the time zone of the source or the computer's clock",
                            checkin=fields.Datetime.to_string(checkin),
                        ),
                    )
                )
            elif checkin:
                values["mdm_last_checkin"] = checkin
                values["mdm_source_id"] = source.id
            for key, problem in problems:
                errors.append(
                    _(
                        "Row %(row)s, column %(column)s: %(problem)s.",
                        row=number,
                        column=column(key),
                        problem=problem,
                    )
                )
            if not problems:
                parsed.append(
                    {"row": number, "serial": serial, "key": key, "values": values}
                )
        raise_errors(
            self.env,
            errors,
            _("The file was not imported, nothing was changed:"),
        )
        if not parsed:
            raise UserError(_("The file has a header row but no rows."))
        return parsed, mapped

    @api.model
    def _text_problem(self, text):
        """A problem text when the cell ``text`` cannot be stored as the
        one-line text of a device: a line break or another control character
        inside, or more than ``MAX_TEXT_LENGTH`` characters; else None."""
        if len(text) <= MAX_TEXT_LENGTH and text.isprintable():
            return None  # the usual cell
        char = next(
            (found for found in text if unicodedata.category(found) == "Cc"), None
        )
        if char:
            return self.env._(
                "%(value)r contains the control character %(char)s",
                value=text[:40],
                char=f"U+{ord(char):04X}",
            )
        if len(text) > MAX_TEXT_LENGTH:
            return self.env._(
                "the text has %(length)s characters (at most %(max)s)",
                length=len(text),
                max=MAX_TEXT_LENGTH,
            )
        return None

    def _match_devices(self, keys):
        """{serial key: device} of the import's company, archived devices
        included, in one query."""
        devices = (
            self.env["maintenance.equipment"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("company_id", "=", self.company_id.id),
                    ("serial_no_normalized", "in", list(keys)),
                ],
                # The compared fields are read a chunk at a time, later.
                ["serial_no_normalized"],
            )
        )
        return {device.serial_no_normalized: device.sudo(False) for device in devices}

    def _match_people(self, names):
        """{primary user key: {mdm_user_id, mdm_employee_id}} of the users
        whose login or e-mail is the primary user (a UPN or e-mail), and of
        the company's employees with that work e-mail or user. Ambiguous
        matches are left out."""
        keys = sorted({_person_key(name) for name in names if name})
        if not keys:
            return {}
        cr = self.env.cr
        cr.execute(
            SQL(
                """
SELECT LOWER(u.login), LOWER(p.email), u.id
  FROM res_users u
  JOIN res_partner p ON p.id = u.partner_id
  JOIN res_company_users_rel rel ON rel.user_id = u.id AND rel.cid = %(company)s
 WHERE u.active AND NOT u.share
   AND (LOWER(u.login) = ANY(%(keys)s) OR LOWER(p.email) = ANY(%(keys)s))
""",
                company=self.company_id.id,
                keys=keys,
            )
        )
        by_login, by_email = defaultdict(set), defaultdict(set)
        for login, email, user_id in cr.fetchall():
            by_login[login].add(user_id)
            by_email[email].add(user_id)
        users = {}
        for key in keys:
            found = by_login.get(key) or by_email.get(key) or set()
            if len(found) == 1:
                users[key] = next(iter(found))
        cr.execute(
            SQL(
                """
SELECT LOWER(work_email), user_id, id
  FROM hr_employee
 WHERE active AND company_id = %(company)s
   AND (LOWER(work_email) = ANY(%(keys)s) OR user_id = ANY(%(users)s))
""",
                company=self.company_id.id,
                keys=keys,
                users=list(users.values()) or [0],
            )
        )
        by_work_email, by_user = defaultdict(set), defaultdict(set)
        for email, user_id, employee_id in cr.fetchall():
            if email:
                by_work_email[email].add(employee_id)
            if user_id:
                by_user[user_id].add(employee_id)
        people = {}
        for key in keys:
            user_id = users.get(key)
            found = (
                by_work_email.get(key) or (user_id and by_user.get(user_id)) or set()
            )
            people[key] = {
                "mdm_user_id": user_id or False,
                "mdm_employee_id": next(iter(found)) if len(found) == 1 else False,
            }
        return people

    @api.model
    def _compare(self, device, values):
        """(status, {field: new value}) of a file row against its device."""
        if not device:
            return "not_in_register", {}
        old_checkin = device.mdm_last_checkin
        new_checkin = values.get("mdm_last_checkin")
        if old_checkin and new_checkin and new_checkin < old_checkin:
            return "older", {}
        changes = {}
        for field_name in COMPARED_FIELDS:
            if field_name not in values:
                continue
            old = device[field_name]
            old = old.id if isinstance(old, models.BaseModel) else old
            if (old or False) != (values[field_name] or False):
                changes[field_name] = values[field_name] or False
        return ("update" if changes else "unchanged"), changes

    @api.model
    def _describe_changes(self, device, changes):
        """The changes as "Field: old → new", one per line."""
        if not changes:
            return False
        Equipment = self.env["maintenance.equipment"]
        lines = []
        for field_name, new in changes.items():
            field = Equipment._fields[field_name]
            old = device[field_name]
            if field.type == "many2one":
                new = Equipment.env[field.comodel_name].browse(new)
                old_text, new_text = old.display_name, new.display_name
            elif field.type == "datetime":
                old_text = old and fields.Datetime.to_string(old)
                new_text = new and fields.Datetime.to_string(new)
            else:
                old_text, new_text = old, new
            lines.append(
                f"{field._description_string(self.env)}: {old_text or '–'} → "
                f"{new_text or '–'}"
            )
        return "\n".join(lines)

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
                    as_import_step(line).write(
                        {"status": status, "changes": description}
                    )
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
        self.with_env(internal(self.env)).write(
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
        earlier = as_import_step(earlier)
        earlier.filtered(lambda line: line.resolution == "open").write(
            {"resolution": "superseded"}
        )
        unknown = as_import_step(unknown)
        unknown.filtered(lambda line: line.serial_normalized in dismissed).write(
            {"resolution": "dismissed"}
        )


def _person_key(name):
    return (name or "").strip().lower()
