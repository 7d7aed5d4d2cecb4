# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import csv
import hashlib
import io

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.municipal_it_lease.tools.fileparse import shown_errors

from ..tools import sanitization_report, wipe_rules
from .it_wipe_certificate import CERTIFICATE_EVIDENCE, refuse_unless_imported


class ItWipeReport(models.Model):
    """One imported sanitization report file, kept as it came with its
    SHA-256, and the certificates read from it. The file and what was read
    from it are written by the import only (``it_system``)."""

    _name = "it.wipe.report"
    _description = "Sanitization Report"
    _inherit = ["mail.thread", "it.system.fields.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, it_system=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        it_system=True,
    )
    batch_id = fields.Many2one(
        comodel_name="it.disposal.batch",
        string="Return Crate",
        index="btree_not_null",
        readonly=True,
        check_company=True,
        ondelete="restrict",
        it_system=True,
    )
    file_format = fields.Selection(
        selection=[("xml", "Blancco-style XML"), ("csv", "CSV export")],
        required=True,
        readonly=True,
        it_system=True,
    )
    file_name = fields.Char(readonly=True, it_system=True)
    attachment_id = fields.Many2one(
        "ir.attachment", string="Original File", readonly=True, it_system=True
    )
    sha256 = fields.Char(string="SHA-256", readonly=True, index=True, it_system=True)
    document_id = fields.Char(
        string="Document ID",
        readonly=True,
        it_system=True,
        help="The report's own id (Blancco document id).",
    )
    signature = fields.Text(
        string="Integrity / Signature",
        readonly=True,
        it_system=True,
        help="The integrity or signature value the report carries, kept as is.",
    )
    certificate_ids = fields.One2many(
        "it.wipe.certificate", "report_id", string="Certificates"
    )
    certificate_count = fields.Integer(compute="_compute_counts")
    unmatched_count = fields.Integer(string="Unmatched", compute="_compute_counts")
    failed_count = fields.Integer(string="Failed", compute="_compute_counts")

    _sql_constraints = [
        (
            "sha256_uniq",
            "unique(company_id, sha256)",
            "This file has already been imported.",
        ),
    ]

    def _compute_counts(self):
        Certificate = self.env["it.wipe.certificate"]
        groups = Certificate._read_group(
            [("report_id", "in", self.ids)],
            groupby=["report_id", "is_matched", "status"],
            aggregates=["__count"],
        )
        counts = {report: [0, 0, 0] for report in self}
        for report, matched, status, count in groups:
            counts[report][0] += count
            if not matched:
                counts[report][1] += count
            if status == "not_erased":
                counts[report][2] += count
        for report in self:
            (
                report.certificate_count,
                report.unmatched_count,
                report.failed_count,
            ) = counts[report]

    @api.model_create_multi
    def create(self, vals_list):
        refuse_unless_imported(self)
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "A sanitization report is a public record and cannot be deleted."
            )
        )

    # Import

    def _error_message(self, code, params):
        messages = {
            "not_utf8": self.env._("the file is not UTF-8 text"),
            "empty": self.env._("the file is empty"),
            "no_rows": self.env._("the file has no erasures"),
            "bad_xml": self.env._("the XML is not well formed (%(error)s)"),
            "no_document_id": self.env._("the report has no document_id"),
            "no_system_serial": self.env._("the hardware section has no system serial"),
            "missing_columns": self.env._("missing columns: %(columns)s"),
            "empty_value": self.env._("%(field)s is empty"),
            "bad_level": self.env._("%(value)r is not a Clear, Purge or Destroy level"),
            "bad_status": self.env._(
                "status %(value)r is not erased, erased with exceptions or not erased"
            ),
            "bad_time": self.env._("%(field)s %(value)r is not a date and time"),
            "implausible_time": self.env._(
                "%(field)s %(value)r is not a plausible time of an erasure "
                "(before %(year)s or later than tomorrow)"
            ),
            "bad_serial": self.env._("%(field)s: %(problem)s"),
            "bad_capacity": self.env._(
                "the capacity %(value)r of disk %(serial)s is not a number of "
                "bytes (digits 0-9, at most 10 PB)"
            ),
            "table": "%(message)s",
            "bad_csv": self.env._(
                "the file cannot be read as CSV from here (%(error)s); check its quotes"
            ),
            "control_character": self.env._(
                "column %(column)s contains the control character %(char)s: the "
                "file is binary or not UTF-8 text"
            ),
            "too_long": self.env._(
                "column %(column)s is longer than %(max)s characters"
            ),
            "duplicate": self.env._(
                "medium %(value)s appears twice in report %(report)s"
            ),
            "already_imported": self.env._(
                "medium %(value)s of report %(report)s was already imported"
            ),
            "other_device": self.env._(
                "medium %(value)s belongs to device %(device)s, not to %(serial)s"
            ),
        }
        return messages[code] % params

    def _raise_errors(self, file_name, errors):
        lines = shown_errors(
            self.env,
            [
                self.env._(
                    "Row %(row)s: %(message)s",
                    row=row,
                    message=self._error_message(code, params),
                )
                if row
                else self._error_message(code, params)
                for row, code, params in errors
            ],
        )
        raise UserError(
            self.env._(
                "Nothing was imported from %(file)s:\n%(errors)s",
                file=file_name,
                errors="\n".join(lines),
            )
        )

    @api.model
    def _import_file(self, content, file_name, batch=None):
        """Import a sanitization report (Blancco-style XML or CSV) all or
        nothing: every row checked first, then the report, its certificates
        and any media the hardware section names are created."""
        # The report and its certificates are the import's own to write (under
        # sudo below): the user's right to import is checked here.
        self.check_access("create")
        self.env["it.wipe.certificate"].check_access("create")
        if batch:
            batch.check_access("read")
        company = batch.company_id if batch else self.env.company
        sha256 = hashlib.sha256(content).hexdigest()
        existing = self.sudo().search(
            [("company_id", "=", company.id), ("sha256", "=", sha256)], limit=1
        )
        if existing:
            raise UserError(
                self.env._(
                    "%(file)s was already imported as report %(report)s: nothing "
                    "was imported again.",
                    file=file_name,
                    report=existing.name,
                )
            )
        is_xml = content.lstrip()[:1] == b"<"
        reader = (
            sanitization_report.read_xml if is_xml else sanitization_report.read_csv
        )
        header, erasures, errors = reader(content, self.env)
        if not errors:
            certificate_vals, media_vals = self._match_erasures(
                company, erasures, errors
            )
        if errors:
            self._raise_errors(file_name, errors)
        # Created as the import's own step: no user creates a report by hand.
        report = self.sudo().create(
            {
                "name": header.get("document_id") or file_name,
                "company_id": company.id,
                "batch_id": batch.id if batch else False,
                "file_format": "xml" if is_xml else "csv",
                "file_name": file_name,
                "sha256": sha256,
                "document_id": header.get("document_id"),
                "signature": header.get("signature"),
            }
        )
        report.attachment_id = self.env["ir.attachment"].create(
            {
                "name": file_name,
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": report.id,
            }
        )
        self._create_certificates(report, certificate_vals, media_vals)
        return report.with_env(self.env)

    def _match_erasures(self, company, erasures, errors):
        """Certificate values for ``erasures``, matched by normalized serial to
        the register's devices and media (one query each for the whole file);
        media that the report names on a known device and the register lacks
        are to be created."""
        normalize = self.env["maintenance.equipment"]._normalize_serial
        for erasure in erasures:
            erasure["device_key"] = normalize(erasure["device_serial"])
            erasure["medium_key"] = normalize(erasure["medium_serial"])
        devices, media, imported = self._read_register(company, erasures)
        seen = set()
        certificate_vals = []
        media_vals = {}
        for erasure in erasures:
            device = devices.get(erasure["device_key"])
            medium = media.get(erasure["medium_key"])
            error = self._match_error(erasure, device, medium, seen, imported)
            if error:
                errors.append(error)
                continue
            if device and not medium:
                media_vals[erasure["medium_key"]] = {
                    "equipment_id": device[0],
                    "serial_no": erasure["medium_serial"],
                    "medium_type": erasure.get("medium_type") or "other",
                    "capacity_gb": erasure.get("capacity_gb") or 0.0,
                    "model": erasure.get("model") or False,
                }
            certificate_vals.append(
                self._prepare_certificate_vals(erasure, device, medium)
            )
        return certificate_vals, media_vals

    def _read_register(self, company, erasures):
        """What the register of ``company`` holds of ``erasures``: its devices
        {serial key: (id, name)}, its media {serial key: (id, device id, device
        serial)} and the (report id, medium serial key) already imported."""
        # The queries below read the tables: write pending changes first.
        self.env["maintenance.equipment"].flush_model(
            ["serial_no_normalized", "company_id", "name"]
        )
        self.env["it.storage.medium"].flush_model(
            ["serial_no_normalized", "company_id", "equipment_id"]
        )
        self.env["it.wipe.certificate"].flush_model(
            ["report_ref", "medium_id", "company_id"]
        )
        cr = self.env.cr
        cr.execute(
            """
            SELECT serial_no_normalized, id, name->>'en_US'
              FROM maintenance_equipment
             WHERE company_id = %s AND serial_no_normalized = ANY(%s)
            """,
            [company.id, list({erasure["device_key"] for erasure in erasures})],
        )
        devices = {key: (device_id, name) for key, device_id, name in cr.fetchall()}
        cr.execute(
            """
            SELECT medium.serial_no_normalized, medium.id, medium.equipment_id,
                   equipment.serial_no
              FROM it_storage_medium medium
              JOIN maintenance_equipment equipment ON equipment.id = medium.equipment_id
             WHERE medium.company_id = %s AND medium.serial_no_normalized = ANY(%s)
            """,
            [company.id, list({erasure["medium_key"] for erasure in erasures})],
        )
        media = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(
            """
            SELECT certificate.report_ref, medium.serial_no_normalized
              FROM it_wipe_certificate certificate
              JOIN it_storage_medium medium ON medium.id = certificate.medium_id
             WHERE certificate.company_id = %s
               AND certificate.report_ref = ANY(%s)
            """,
            [company.id, list({erasure["report_ref"] for erasure in erasures})],
        )
        return devices, media, set(cr.fetchall())

    def _match_error(self, erasure, device, medium, seen, imported):
        """The error (row, code, params) of an erasure that cannot be stored:
        its medium twice in the file, already imported, or on another device
        than the one the row names; else None."""
        key = (erasure["report_ref"], erasure["medium_key"])
        params = {"value": erasure["medium_serial"], "report": erasure["report_ref"]}
        if key in seen:
            return erasure["row"], "duplicate", params
        seen.add(key)
        if key in imported:
            return erasure["row"], "already_imported", params
        if medium and device and medium[1] != device[0]:
            return (
                erasure["row"],
                "other_device",
                dict(params, device=medium[2], serial=erasure["device_serial"]),
            )
        return None

    def _prepare_certificate_vals(self, erasure, device, medium):
        """The certificate of a matched ``erasure``: its medium (or, for a
        medium still to be created, its serial key) and its device."""
        equipment_id = medium[1] if medium else device and device[0]
        return {
            "medium_key": erasure["medium_key"],
            "medium_id": medium[0] if medium else False,
            "equipment_id": equipment_id or False,
            **{name: erasure[name] for name in CERTIFICATE_EVIDENCE},
        }

    def _create_certificates(self, report, certificate_vals, media_vals):
        """Store the certificates of ``report`` and the media it adds, then
        set the wipe status of the media and devices concerned."""
        quiet = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        ).env
        new_media = quiet["it.storage.medium"].create(list(media_vals.values()))
        # The statements below read the register and write the statuses: the
        # ORM's pending writes and computations go first.
        self.env.flush_all()
        medium_ids = dict(zip(media_vals, new_media.ids, strict=True))
        rows = []
        for vals in certificate_vals:
            key = vals.pop("medium_key")
            if not vals["medium_id"] and key in medium_ids:
                vals["medium_id"] = medium_ids[key]
            rows.append(vals)
        self._insert_certificates(report, rows)
        self._update_wipe_states({vals["medium_id"] for vals in rows} - {False})

    def _update_wipe_states(self, medium_ids):
        """Set the wipe status of the media ``medium_ids``, whose certificates
        went in by SQL, and of their devices: one statement each, of the rule
        the ORM computes them with (``tools/wipe_rules``), where recomputing
        them record by record costs most of a 100,000-row import. Then the
        cache is emptied and what depends on the statuses is triggered."""
        changed = wipe_rules.update_media_wipe_state(self.env.cr, medium_ids)
        devices = self.env["maintenance.equipment"].browse(
            wipe_rules.update_devices_wipe_state(
                self.env.cr, {device_id for _medium_id, device_id in changed}
            )
        )
        # The new certificates and the statuses are read again from the
        # database, also by the non-stored fields computed from them. The one
        # stored field computed from a medium's status is its device's, set
        # above (test_wipe_rules checks it stays so); the devices' dependants
        # are triggered.
        self.env.invalidate_all()
        devices.modified(["wipe_state"])

    def _insert_certificates(self, report, rows):
        """Insert the certificates in one ``COPY``: a report covers up to a
        whole municipality (100,000 media), where one ORM create per 100 rows
        with its precomputes and company checks costs most of the import.
        Every value was checked and matched (in this company) before; the
        stored computes (matched, valid) are written with them."""
        columns = (
            "report_id",
            "company_id",
            "medium_id",
            "equipment_id",
            "is_matched",
            *CERTIFICATE_EVIDENCE,
            "witnessed_on_site",
            "exception_accepted",
            "is_valid",
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        )
        head = (report.id, report.company_id.id)
        now = fields.Datetime.now()
        stamps = (self.env.uid, now, self.env.uid, now)
        buffer = io.StringIO()
        # CSV: quoting is csv's, so no value can break out of its cell; None
        # and "" become the empty unquoted field, which COPY reads as NULL.
        csv.writer(buffer, lineterminator="\n").writerows(
            (
                *head,
                vals["medium_id"] or None,
                vals["equipment_id"] or None,
                bool(vals["equipment_id"]),
                *(vals[name] for name in CERTIFICATE_EVIDENCE),
                False,
                False,
                vals["status"] == "erased",
                *stamps,
            )
            for vals in rows
        )
        buffer.seek(0)
        self.env.cr.copy_expert(
            SQL(
                "COPY it_wipe_certificate (%s) FROM STDIN WITH (FORMAT csv)",
                SQL(", ").join(SQL.identifier(name) for name in columns),
            ).code,
            buffer,
        )

    def action_open_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_disposal.it_wipe_certificate_action"
        )
        action["domain"] = [("report_id", "=", self.id)]
        return action
