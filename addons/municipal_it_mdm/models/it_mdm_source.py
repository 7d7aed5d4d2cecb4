# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

# Intune writes seven decimals of a second; Python reads at most six.
FRACTION_RE = re.compile(r"(\.\d{6})\d+")
# Check-ins before this year are not a device that was seen but a broken cell.
MIN_YEAR = 1990
# What each register field is read from: (key, source field with the column
# header, label for messages).
MAPPED_COLUMNS = (
    ("serial", "serial_column"),
    ("device_name", "device_name_column"),
    ("primary_user", "primary_user_column"),
    ("os_name", "os_column"),
    ("os_version", "os_version_column"),
    ("checkin", "checkin_column"),
)


class ItMdmSource(models.Model):
    """A device-management system (Intune, Jamf, SCCM) whose inventory export
    updates the register, with the column mapping its exports use."""

    _name = "it.mdm.source"
    _description = "Device Management Source"
    _order = "company_id, sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        selection=[
            ("intune", "Microsoft Intune"),
            ("jamf", "Jamf Pro"),
            ("sccm", "Configuration Manager (SCCM)"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    serial_column = fields.Char(
        string="Serial Number Column",
        required=True,
        help="Header of the column holding the serial number. Several accepted "
        "headers are separated by |. Letter case, accents and spacing do not "
        "matter.",
    )
    device_name_column = fields.Char(
        help="Leave empty when the export has no device name: the register's "
        "device name is then left as it is. Every column named here must be in "
        "the file.",
    )
    primary_user_column = fields.Char()
    os_column = fields.Char(string="Operating System Column")
    os_version_column = fields.Char(string="OS Version Column")
    checkin_column = fields.Char(string="Last Check-in Column", required=True)
    date_formats = fields.Char(
        default="%Y-%m-%d %H:%M:%S",
        help="Formats of the check-in times, tried in order, separated by |, "
        "in Python strptime notation (%Y year, %m month, %d day, %H hour, %I "
        "hour 1-12, %M minute, %S second, %p AM/PM). ISO 8601 times "
        "(2026-05-31T08:15:00Z) are always read.",
    )
    tz = fields.Selection(
        selection=_tz_get,
        string="Time Zone of the File",
        default="UTC",
        required=True,
        help="Time zone of check-in times written without one.",
    )
    not_seen_days = fields.Integer(
        string="Not Seen After (Days)",
        default=30,
        required=True,
        help="A device in use whose last check-in through this source is older "
        "than this many days is flagged Not Seen: lost, stolen or broken?",
    )
    import_ids = fields.One2many("it.mdm.import", "source_id", string="Imports")
    import_count = fields.Integer(compute="_compute_import_count")

    def _compute_import_count(self):
        counts = dict(
            self.env["it.mdm.import"]._read_group(
                [("source_id", "in", self.ids)],
                groupby=["source_id"],
                aggregates=["__count"],
            )
        )
        for source in self:
            source.import_count = counts.get(source, 0)

    @api.constrains("not_seen_days")
    def _check_not_seen_days(self):
        for source in self:
            if source.not_seen_days < 1:
                raise ValidationError(
                    self.env._(
                        "Source %(name)s: a device is flagged not seen after at "
                        "least one day.",
                        name=source.name,
                    )
                )

    @api.constrains("date_formats")
    def _check_date_formats(self):
        for source in self:
            for date_format in source._get_date_formats():
                if "%" not in date_format:
                    raise ValidationError(
                        self.env._(
                            "Source %(name)s: %(format)r is not a date format "
                            "(e.g. %%Y-%%m-%%d %%H:%%M:%%S).",
                            name=source.name,
                            format=date_format,
                        )
                    )

    def _get_date_formats(self):
        self.ensure_one()
        return [
            part.strip()
            for part in (self.date_formats or "").split("|")
            if part.strip()
        ]

    def _get_columns(self):
        """The column definitions of ``find_columns()``: every column the
        mapping names, each required in the file."""
        self.ensure_one()
        _ = self.env._
        labels = {
            "serial": _("serial number"),
            "device_name": _("device name"),
            "primary_user": _("primary user"),
            "os_name": _("operating system"),
            "os_version": _("OS version"),
            "checkin": _("last check-in"),
        }
        columns = {}
        for key, field_name in MAPPED_COLUMNS:
            names = tuple(
                name.strip()
                for name in (self[field_name] or "").split("|")
                if name.strip()
            )
            if names:
                columns[key] = (labels[key], names)
        return columns

    def _parse_checkin(self, text):
        """(naive UTC datetime, None) of a check-in time as the export writes
        it; (False, None) when the cell is empty; (None, problem) otherwise."""
        self.ensure_one()
        value = FRACTION_RE.sub(r"\1", " ".join((text or "").split()))
        if not value:
            return False, None
        moment = None
        for date_format in self._get_date_formats():
            try:
                moment = datetime.strptime(value, date_format)
                break
            except ValueError:
                continue
        if moment is None:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return None, self.env._(
                    "%(value)r is not a date and time in the formats of source "
                    "%(name)s (%(formats)s)",
                    value=value[:40],
                    name=self.name,
                    formats=" | ".join(self._get_date_formats()) or "ISO 8601",
                )
        if moment.year == 1:
            # .NET's empty date (0001-01-01): the device never checked in.
            return False, None
        if moment.year < MIN_YEAR:
            return None, self.env._(
                "%(value)r is not a plausible check-in time", value=value[:40]
            )
        if moment.tzinfo is None:
            moment = pytz.timezone(self.tz or "UTC").localize(moment)
        # The register keeps whole seconds (as the ORM does).
        moment = moment.astimezone(pytz.utc).replace(tzinfo=None, microsecond=0)
        return moment, None
