# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import unicodedata
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.municipal_it_lease.tools.fileparse import (
    formula_problem,
    raise_errors,
    read_table,
)
from odoo.addons.municipal_it_lease.tools.serial import (
    clean_serial,
    serial_key,
    serial_problem,
)
from odoo.addons.municipal_it_lease.tools.spreadsheet import find_columns

from .it_mdm_import import CHUNK

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
# A check-in later than now by more than this is a wrong clock or a wrong
# time zone, not a device seen.
FUTURE_TOLERANCE = timedelta(days=1)
# Longest text kept from a file column (a device name, a user's UPN, an
# operating system and its version): a longer cell is a broken export.
MAX_TEXT_LENGTH = 255


class ItMdmImport(models.Model):
    """The preview of an import: the export read with its source's mapping,
    each row matched to its device and person, and compared with the
    register."""

    _inherit = "it.mdm.import"

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
        self.sudo().line_ids.unlink()
        Line = self.env["it.mdm.import.line"].sudo()
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
        self.sudo().write({"state": "preview", "mapped_fields": ",".join(mapped)})

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
        parsed, errors, seen = [], [], {}
        for number, cells in rows[1:]:
            row, problems = self._parse_row(number, cells, columns, seen)
            for key, problem in problems:
                index = columns[key]
                errors.append(
                    _(
                        "Row %(row)s, column %(column)s: %(problem)s.",
                        row=number,
                        column=f"{index + 1} ({header[index]})",
                        problem=problem,
                    )
                )
            if not problems:
                parsed.append(row)
        raise_errors(
            self.env,
            errors,
            _("The file was not imported, nothing was changed:"),
        )
        if not parsed:
            raise UserError(_("The file has a header row but no rows."))
        return parsed, mapped

    def _parse_row(self, number, cells, columns, seen):
        """(row, [(column key, problem)]) of the file's row ``number``; the
        row as {row, serial, key, values}. ``seen`` is {serial key: row
        number} of the rows before, which this row joins."""
        _ = self.env._
        source = self.source_id
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
        elif checkin and checkin > fields.Datetime.now() + FUTURE_TOLERANCE:
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
        return {"row": number, "serial": serial, "key": key, "values": values}, problems

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
        users = self._match_users(keys)
        self.env.cr.execute(
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
        for email, user_id, employee_id in self.env.cr.fetchall():
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

    def _match_users(self, keys):
        """{person key: user id} of the company's internal users whose login,
        else e-mail, is the key, where one user is."""
        self.env.cr.execute(
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
        for login, email, user_id in self.env.cr.fetchall():
            by_login[login].add(user_id)
            by_email[email].add(user_id)
        users = {}
        for key in keys:
            found = by_login.get(key) or by_email.get(key) or set()
            if len(found) == 1:
                users[key] = next(iter(found))
        return users

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


def _person_key(name):
    return (name or "").strip().lower()
