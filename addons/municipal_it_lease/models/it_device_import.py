# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
import logging

from odoo import api, fields, models, modules
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.activity import schedule_activity
from ..tools.chatter import log_note
from ..tools.fileparse import shown_errors
from ..tools.guard import internal, is_internal

_logger = logging.getLogger(__name__)

# Rows given to Odoo's import at a time: the progress moves every batch, and
# the ORM cache is emptied between batches so memory stays flat.
BATCH_ROWS = 2000
# Written by queueing and by the job only (see tools/guard.py).
JOB_FIELDS = {
    "state",
    "column_mapping",
    "import_fields",
    "import_columns",
    "row_count",
    "device_count",
    "error_message",
    "date_queued",
    "date_started",
    "date_done",
}
# The tables an import of devices fills.
ANALYZED_TABLES = ("maintenance_equipment", "it_activity_code_assignment")


class ImportRowsError(Exception):
    """Odoo's import refused rows of the file: the messages name them."""


class ItDeviceImport(models.Model):
    """A register file imported in the background, all or nothing.

    The clerk uploads the file and leaves: a scheduled job imports it with
    Odoo's own import (the same columns, matching and checks as *Favorites ▸
    Import records*), as that clerk, in one transaction. The form shows the
    rows done as they go; a file with a bad row imports nothing, and the
    import says which rows and why.
    """

    _name = "it.device.import"
    _description = "Device Register Import"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Requested By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        help="The import runs with this user's access rights.",
    )
    file = fields.Binary(required=True, attachment=True)
    filename = fields.Char()
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    column_mapping = fields.Text(
        readonly=True,
        copy=False,
        help="Each column of the file and the device field it fills, as Odoo's "
        "import matched them by their headers.",
    )
    import_fields = fields.Text(readonly=True, copy=False)
    import_columns = fields.Text(readonly=True, copy=False)
    row_count = fields.Integer(string="Rows", readonly=True, copy=False)
    rows_done = fields.Integer(compute="_compute_rows_done")
    progress = fields.Float(compute="_compute_progress")
    device_count = fields.Integer(string="Devices Imported", readonly=True, copy=False)
    error_message = fields.Text(string="Errors", readonly=True, copy=False)
    date_queued = fields.Datetime(string="Queued On", readonly=True, copy=False)
    date_started = fields.Datetime(string="Started On", readonly=True, copy=False)
    date_done = fields.Datetime(string="Finished On", readonly=True, copy=False)

    @api.depends("filename")
    def _compute_name(self):
        for record in self:
            record.name = record.filename or self.env._("Device import")

    def init(self):
        # The rows done of a running import, written and committed by a
        # connection of its own after each batch (see _report_progress):
        # the import's transaction writes its own row only at the end, so
        # the two never touch the same row (no foreign key either, whose
        # check would lock the import's row).
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS it_device_import_progress (
                import_id integer PRIMARY KEY,
                rows_done integer NOT NULL
            )
            """
        )

    @api.depends("state", "row_count")
    def _compute_rows_done(self):
        running = self.filtered(lambda record: record.state == "running" and record.id)
        done = {}
        if running:
            self.env.cr.execute(
                "SELECT import_id, rows_done FROM it_device_import_progress "
                "WHERE import_id IN %s",
                [tuple(running.ids)],
            )
            done = dict(self.env.cr.fetchall())
        for record in self:
            if record.state == "done":
                record.rows_done = record.row_count
            else:
                record.rows_done = done.get(record.id, 0)

    @api.depends("rows_done", "row_count")
    def _compute_progress(self):
        for record in self:
            record.progress = (
                100.0 * record.rows_done / record.row_count if record.row_count else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env):
            for vals in vals_list:
                self._check_job_fields(vals)
                # The import runs with the rights of the user who asked for
                # it: that is whoever creates it, never someone named.
                vals["user_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        if not is_internal(self.env):
            self._check_job_fields(vals)
            if "user_id" in vals:
                raise UserError(
                    self.env._(
                        "An import runs as the user who created it: create your "
                        "own import instead."
                    )
                )
        if {"file", "filename", "company_id"} & vals.keys() and any(
            record.state != "draft" for record in self
        ):
            raise UserError(
                self.env._(
                    "An import that was queued keeps its file: create a new "
                    "import for another file."
                )
            )
        return super().write(vals)

    def _check_job_fields(self, vals):
        if JOB_FIELDS & vals.keys():
            raise UserError(
                self.env._(
                    "The status, columns, counts, errors and dates of an import "
                    "are set by queueing it and by the scheduled job, never by "
                    "hand."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running(self):
        if any(record.state in ("queued", "running") for record in self):
            raise UserError(self.env._("A queued or running import cannot be deleted."))

    # The file, read by Odoo's import

    def _get_importer(self, user=None):
        """Odoo's import of the file, for ``user`` (the current one by
        default) in the import's company."""
        self.ensure_one()
        env = self.env(user=user or self.env.user)
        return (
            env["base_import.import"]
            .with_context(allowed_company_ids=[self.company_id.id])
            .create(
                {
                    "res_model": "maintenance.equipment",
                    # Odoo's import holds the file's bytes, not base64.
                    "file": base64.b64decode(
                        self.sudo().with_context(bin_size=False).file or b""
                    ),
                    "file_name": self.filename or "devices.csv",
                    "file_type": (
                        "text/csv"
                        if (self.filename or "").lower().endswith(".csv")
                        else False
                    ),
                }
            )
        )

    @api.model
    def _import_options(self):
        return {"quoting": '"', "separator": "", "has_headers": True}

    def _match_columns(self):
        """Match the file's columns to device fields as Odoo's import does;
        refuse a file whose columns match nothing or miss the device name."""
        self.ensure_one()
        importer = self._get_importer()
        preview = importer.parse_preview(self._import_options())
        if preview.get("error"):
            raise UserError(
                self.env._("The file cannot be read: %(error)s", error=preview["error"])
            )
        headers = preview.get("headers") or []
        matches = preview.get("matches") or {}
        import_fields = [
            "/".join(matches[index]) if matches.get(index) else False
            for index in range(len(headers))
        ]
        if "name" not in import_fields:
            raise UserError(
                self.env._(
                    "No column of the file is the device name: name a column "
                    "%(header)s (or as the field is labelled in your language), "
                    "as in Odoo's import template.",
                    header="'name'",
                )
            )
        device_fields = self.env["maintenance.equipment"].fields_get(
            attributes=["string"]
        )
        mapping = [
            self.env._(
                "%(column)s → %(field)s",
                column=header,
                field=(
                    device_fields.get(path.split("/")[0], {}).get("string", path)
                    if path
                    else self.env._("(not imported)")
                ),
            )
            for header, path in zip(headers, import_fields, strict=True)
        ]
        length, _rows = importer._read_file(self._import_options())
        return {
            "import_fields": json.dumps(import_fields),
            "import_columns": json.dumps(headers),
            "column_mapping": "\n".join(mapping),
            "row_count": max(length - 1, 0),
        }

    # Actions

    def action_queue(self):
        """Check the file's columns and queue it for the scheduled job."""
        for record in self:
            if record.state != "draft":
                raise UserError(
                    self.env._(
                        "Import %(name)s is already queued or done.", name=record.name
                    )
                )
            vals = record._match_columns()
            record.with_env(internal(self.env)).write(
                dict(
                    vals,
                    state="queued",
                    device_count=0,
                    error_message=False,
                    date_queued=fields.Datetime.now(),
                    date_started=False,
                    date_done=False,
                )
            )
            log_note(
                record,
                body=self.env._(
                    "Queued: %(rows)s rows. Columns:\n%(mapping)s",
                    rows=record.row_count,
                    mapping=record.column_mapping,
                ),
            )
        self.env.ref("municipal_it_lease.ir_cron_it_device_import")._trigger()
        return True

    def action_reset_draft(self):
        """Take a failed import back to draft, to queue it again."""
        for record in self:
            if record.state != "failed":
                raise UserError(
                    self.env._(
                        "Only a failed import can be set back to draft; %(name)s "
                        "is not.",
                        name=record.name,
                    )
                )
        self.with_env(internal(self.env)).write({"state": "draft"})
        return True

    # The scheduled job

    def _lock_key(self):
        return f"it.device.import:{self.id}"

    @api.model
    def _cron_import_queued(self):
        """Import the queued files one after the other, each in its own
        transaction; mark failed the imports a killed worker left running."""
        self._fail_interrupted()
        while True:
            self.env.cr.execute(
                """
                SELECT id FROM it_device_import
                 WHERE state = 'queued'
              ORDER BY id
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED
                """
            )
            row = self.env.cr.fetchone()
            if not row:
                return
            self.browse(row[0])._run_in_background()

    @api.model
    def _fail_interrupted(self):
        """A running import holds its lock for as long as its worker lives:
        a running import whose lock is free was killed mid-way, and its
        transaction rolled back with it: nothing of it was imported."""
        cr = self.env.cr
        for record in self.search([("state", "=", "running")]):
            cr.execute(
                "SELECT pg_try_advisory_lock(hashtext(%s))", [record._lock_key()]
            )
            if not cr.fetchone()[0]:
                continue  # still running
            cr.execute("SELECT pg_advisory_unlock(hashtext(%s))", [record._lock_key()])
            record._finish(
                "failed",
                error_message=self.env._(
                    "The import was interrupted (the server stopped or the job "
                    "was killed) and nothing of it was imported. Set it back to "
                    "draft and queue it again."
                ),
            )

    def _run_in_background(self):
        """Run the import in the job's transaction and commit it whole, or
        roll it back whole and say which rows were refused."""
        self.ensure_one()
        cr = self.env.cr
        # Held by this connection until the end, whatever commits: a worker
        # that dies releases it with its connection (see _fail_interrupted).
        cr.execute("SELECT pg_advisory_lock(hashtext(%s))", [self._lock_key()])
        try:
            self.with_env(internal(self.env)).write(
                {"state": "running", "date_started": fields.Datetime.now()}
            )
            # A scheduled job's own transactions: "running" is shown at once,
            # and the import below is committed whole or not at all.
            cr.commit()  # pylint: disable=invalid-commit
            try:
                count = self._import_rows()
            except ImportRowsError as error:
                cr.rollback()
                self.env.invalidate_all()
                self._finish("failed", error_message=str(error))
            except Exception as error:
                cr.rollback()
                self.env.invalidate_all()
                _logger.exception("Device import %s failed", self.id)
                self._finish(
                    "failed",
                    error_message=self.env._(
                        "The import stopped on an unexpected error and nothing "
                        "was imported: %(error)s",
                        error=error,
                    ),
                )
            else:
                self._finish("done", device_count=count)
            cr.commit()  # pylint: disable=invalid-commit
        finally:
            cr.execute("SELECT pg_advisory_unlock(hashtext(%s))", [self._lock_key()])

    def _import_rows(self):
        """Import every row through Odoo's import as the requesting user, a
        batch at a time, in the current transaction; report the rows done
        through a separate connection so that the form shows them. Raise
        ImportRowsError, naming the rows, if any batch is refused."""
        self.ensure_one()
        user = self.user_id
        importer = self._get_importer(user).with_context(
            lang=user.lang or self.env.lang
        )
        import_fields = json.loads(self.import_fields or "[]")
        columns = json.loads(self.import_columns or "[]")
        count = 0
        skip = 0
        batch_rows = self.env.context.get("it_import_batch_rows") or BATCH_ROWS
        while skip < self.row_count:
            options = dict(self._import_options(), skip=skip, limit=batch_rows)
            result = importer.execute_import(import_fields, columns, options)
            errors = [
                message
                for message in result.get("messages", [])
                if message.get("type") == "error"
            ]
            if errors:
                raise ImportRowsError(self._format_errors(errors, skip))
            count += len(result.get("ids") or [])
            skip = result.get("nextrow") or self.row_count
            self.env.flush_all()
            # The batch is written: its records need not stay in memory.
            self.env.invalidate_all()
            # The planner still has the statistics of before the import,
            # whose rows are not committed: refreshed after each batch, or the
            # next batch's lookups (serial numbers, code history) plan for a
            # table they think nearly empty.
            for table in ANALYZED_TABLES:
                self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
            self._report_progress(skip)
        return count

    def _format_errors(self, messages, skip=0):
        """The refused rows of a batch that started ``skip`` rows in, as
        the file's row numbers."""
        lines = []
        for message in messages:
            rows = message.get("rows") or {}
            if rows.get("from") is not None:
                # Odoo counts the batch's rows from 0; the file has its
                # header on row 1.
                first, last = skip + rows["from"] + 2, skip + rows["to"] + 2
                where = (
                    self.env._("Row %(row)s", row=first)
                    if first == last
                    else self.env._("Rows %(first)s-%(last)s", first=first, last=last)
                )
            else:
                where = self.env._("File")
            lines.append(f"{where}: {message.get('message')}")
        return self.env._(
            "Nothing was imported: Odoo's import refused the file.\n%(errors)s",
            errors="\n".join(shown_errors(self.env, lines)),
        )

    def _report_progress(self, rows_done):
        """Write the rows done through a connection of its own, committed at
        once: the import's own transaction commits only at its end."""
        query = SQL(
            """
            INSERT INTO it_device_import_progress (import_id, rows_done)
            VALUES (%s, %s)
            ON CONFLICT (import_id) DO UPDATE SET rows_done = EXCLUDED.rows_done
            """,
            self.id,
            rows_done,
        )
        if modules.module.current_test:
            # A test's transaction is never committed: nothing to show to
            # another connection, and the import's row is not visible to one.
            self.env.cr.execute(query)
        else:
            with self.env.registry.cursor() as cr:
                cr.execute(query)
        self.invalidate_recordset(["rows_done", "progress"])

    def _finish(self, state, **vals):
        self.with_env(internal(self.env)).write(
            dict(
                vals,
                state=state,
                date_done=fields.Datetime.now(),
            )
        )
        if state == "done":
            body = self.env._(
                "Imported: %(count)s devices.", count=vals.get("device_count", 0)
            )
        else:
            body = vals.get("error_message") or ""
        log_note(self, body=body)

        def text(record):
            summary = (
                record.env._("Device import done: %(name)s", name=record.name)
                if state == "done"
                else record.env._("Device import failed: %(name)s", name=record.name)
            )
            return summary, False

        schedule_activity(self, self.user_id, text, "mail.mail_activity_data_todo")
