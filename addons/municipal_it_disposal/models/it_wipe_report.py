# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.fileparse import shown_errors
from odoo.addons.municipal_it_lease.tools.guard import refuse_system_writes

from ..tools import sanitization_report
from .it_disposal_batch import TRANSITION, in_transition
from .it_wipe_certificate import refuse_unless_imported

# Media whose wipe status is recomputed at a time after an import.
RECOMPUTE_CHUNK = 5000
# The imported file and what was read from it: written by the import only.
REPORT_FIELDS = {
    "name",
    "company_id",
    "batch_id",
    "file_format",
    "file_name",
    "attachment_id",
    "sha256",
    "document_id",
    "signature",
}


class ItWipeReport(models.Model):
    """One imported sanitization report file, kept as it came with its
    SHA-256, and the certificates read from it."""

    _name = "it.wipe.report"
    _description = "Sanitization Report"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    batch_id = fields.Many2one(
        comodel_name="it.disposal.batch",
        string="Return Crate",
        index="btree_not_null",
        readonly=True,
        check_company=True,
        ondelete="restrict",
    )
    file_format = fields.Selection(
        selection=[("xml", "Blancco-style XML"), ("csv", "CSV export")],
        required=True,
        readonly=True,
    )
    file_name = fields.Char(readonly=True)
    attachment_id = fields.Many2one(
        "ir.attachment", string="Original File", readonly=True
    )
    sha256 = fields.Char(string="SHA-256", readonly=True, index=True)
    document_id = fields.Char(
        string="Document ID",
        readonly=True,
        help="The report's own id (Blancco document id).",
    )
    signature = fields.Text(
        string="Integrity / Signature",
        readonly=True,
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

    def write(self, vals):
        refuse_system_writes(self, vals, REPORT_FIELDS, key=TRANSITION)
        return super().write(vals)

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
        report = in_transition(self).create(
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
        the register's devices and media (two queries for the whole file);
        media that the report names on a known device and the register lacks
        are to be created."""
        normalize = self.env["maintenance.equipment"]._normalize_serial
        device_keys = {normalize(erasure["device_serial"]) for erasure in erasures}
        medium_keys = {normalize(erasure["medium_serial"]) for erasure in erasures}
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
        self.env.cr.execute(
            """
            SELECT serial_no_normalized, id, name->>'en_US'
              FROM maintenance_equipment
             WHERE company_id = %s AND serial_no_normalized = ANY(%s)
            """,
            [company.id, list(device_keys)],
        )
        devices = {
            key: (device_id, name) for key, device_id, name in self.env.cr.fetchall()
        }
        self.env.cr.execute(
            """
            SELECT medium.serial_no_normalized, medium.id, medium.equipment_id,
                   equipment.serial_no
              FROM it_storage_medium medium
              JOIN maintenance_equipment equipment ON equipment.id = medium.equipment_id
             WHERE medium.company_id = %s AND medium.serial_no_normalized = ANY(%s)
            """,
            [company.id, list(medium_keys)],
        )
        media = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            """
            SELECT certificate.report_ref, medium.serial_no_normalized
              FROM it_wipe_certificate certificate
              JOIN it_storage_medium medium ON medium.id = certificate.medium_id
             WHERE certificate.company_id = %s
               AND certificate.report_ref = ANY(%s)
            """,
            [company.id, list({erasure["report_ref"] for erasure in erasures})],
        )
        imported = set(self.env.cr.fetchall())
        seen = set()
        certificate_vals = []
        media_vals = {}
        for erasure in erasures:
            device_key = normalize(erasure["device_serial"])
            medium_key = normalize(erasure["medium_serial"])
            row = erasure["row"]
            params = {
                "value": erasure["medium_serial"],
                "report": erasure["report_ref"],
            }
            if (erasure["report_ref"], medium_key) in seen:
                errors.append((row, "duplicate", params))
                continue
            seen.add((erasure["report_ref"], medium_key))
            if (erasure["report_ref"], medium_key) in imported:
                errors.append((row, "already_imported", params))
                continue
            device = devices.get(device_key)
            medium = media.get(medium_key)
            if medium and device and medium[1] != device[0]:
                errors.append(
                    (
                        row,
                        "other_device",
                        dict(
                            params,
                            device=medium[2],
                            serial=erasure["device_serial"],
                        ),
                    )
                )
                continue
            equipment_id = medium[1] if medium else device and device[0]
            if device and not medium:
                media_vals[medium_key] = {
                    "equipment_id": device[0],
                    "serial_no": erasure["medium_serial"],
                    "medium_type": erasure.get("medium_type") or "other",
                    "capacity_gb": erasure.get("capacity_gb") or 0.0,
                    "model": erasure.get("model") or False,
                }
            certificate_vals.append(
                {
                    "medium_key": medium_key,
                    "medium_id": medium[0] if medium else False,
                    "equipment_id": equipment_id or False,
                    "report_ref": erasure["report_ref"],
                    "device_serial": erasure["device_serial"],
                    "medium_serial": erasure["medium_serial"],
                    "method": erasure["method"],
                    "level": erasure["level"],
                    "tool": erasure["tool"],
                    "tool_version": erasure["tool_version"],
                    "status": erasure["status"],
                    "operator": erasure["operator"],
                    "date_start": erasure["date_start"],
                    "date_end": erasure["date_end"],
                    "verification": erasure["verification"],
                }
            )
        return certificate_vals, media_vals

    def _create_certificates(self, report, certificate_vals, media_vals):
        """Store the certificates of ``report`` and the media it adds, then
        recompute the wipe status of the media and devices concerned."""
        quiet = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        ).env
        Medium = quiet["it.storage.medium"]
        new_media = Medium.create(list(media_vals.values()))
        medium_ids = dict(zip(media_vals, new_media.ids, strict=True))
        rows = []
        for vals in certificate_vals:
            key = vals.pop("medium_key")
            if not vals["medium_id"] and key in medium_ids:
                vals["medium_id"] = medium_ids[key]
            rows.append(vals)
        self._insert_certificates(report, rows)
        # The rows went in by SQL: the cache and the stored wipe statuses that
        # depend on them are brought up to date through the ORM.
        Certificate = self.env["it.wipe.certificate"]
        Certificate.invalidate_model()
        Medium.invalidate_model(["certificate_ids"])
        Equipment = self.env["maintenance.equipment"]
        medium_ids = sorted({vals["medium_id"] for vals in rows if vals["medium_id"]})
        # By chunks, emptying the cache after each: a whole municipality's
        # media would otherwise all sit in memory at once.
        for start in range(0, len(medium_ids), RECOMPUTE_CHUNK):
            media = Medium.browse(medium_ids[start : start + RECOMPUTE_CHUNK])
            self.env.add_to_compute(Medium._fields["wipe_state"], media)
            self.env.add_to_compute(Equipment._fields["wipe_state"], media.equipment_id)
            self.env.flush_all()
            self.env.invalidate_all()
        return report.certificate_ids

    def _insert_certificates(self, report, rows):
        """Insert the certificates in bulk: a report covers up to a whole
        municipality (100,000 media), where one ORM create per 100 rows with
        its precomputes and company checks costs most of the import. Every
        value was checked and matched (in this company) before."""
        columns = (
            "report_id",
            "company_id",
            "medium_id",
            "equipment_id",
            "is_matched",
            "report_ref",
            "device_serial",
            "medium_serial",
            "method",
            "level",
            "tool",
            "tool_version",
            "status",
            "operator",
            "date_start",
            "date_end",
            "verification",
            "witnessed_on_site",
            "exception_accepted",
            "is_valid",
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        )
        now = fields.Datetime.now()
        values = [
            (
                report.id,
                report.company_id.id,
                vals["medium_id"] or None,
                vals["equipment_id"] or None,
                bool(vals["equipment_id"]),
                vals["report_ref"],
                vals["device_serial"],
                vals["medium_serial"],
                vals["method"] or None,
                vals["level"],
                vals["tool"] or None,
                vals["tool_version"] or None,
                vals["status"],
                vals["operator"] or None,
                vals["date_start"],
                vals["date_end"],
                vals["verification"] or None,
                False,
                False,
                vals["status"] == "erased",
                self.env.uid,
                now,
                self.env.uid,
                now,
            )
            for vals in rows
        ]
        query = "INSERT INTO it_wipe_certificate ({}) VALUES %s".format(
            ", ".join(columns)
        )
        self.env.cr.execute_values(query, values, page_size=1000)

    def action_open_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_disposal.it_wipe_certificate_action"
        )
        action["domain"] = [("report_id", "=", self.id)]
        return action
