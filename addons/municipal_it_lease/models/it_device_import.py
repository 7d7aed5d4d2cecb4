# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.activity import schedule_activity
from ..tools.chatter import log_note
from ..tools.fileparse import shown_errors

_logger = logging.getLogger(__name__)

CRON_XMLID = "municipal_it_lease.ir_cron_it_device_import"
# Rows given to Odoo's import at a time: the ORM cache is emptied between
# batches so memory stays flat.
BATCH_ROWS = 2000
# The tables an import of devices fills.
ANALYZED_TABLES = ("maintenance_equipment", "it_activity_code_assignment")


class ImportRowsError(Exception):
    """Odoo's import refused rows of the file: the messages name them."""


class ItDeviceImport(models.Model):
    """A register file imported in the background, all or nothing.

    The clerk uploads the file and leaves: the scheduled job imports it with
    Odoo's own import (the same columns, matching and checks as *Favorites ▸
    Import records*), as that clerk, in one transaction of one call of the
    job; the queue is the job's (``ir.cron._trigger``, its progress). A file
    with a bad row imports nothing, and the import says which rows and why.
    """

    _name = "it.device.import"
    _description = "Device Register Import"
    _inherit = ["mail.thread", "mail.activity.mixin", "it.system.fields.mixin"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    # The import runs with this user's rights: whoever creates it (see
    # create), never someone named.
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Requested By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        help="The import runs with this user's access rights.",
        it_system=True,
    )
    file = fields.Binary(required=True, attachment=True)
    filename = fields.Char()
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        it_system=True,
    )
    is_running = fields.Boolean(
        string="Running",
        compute="_compute_is_running",
        help="The scheduled job is importing this file now.",
    )
    column_mapping = fields.Text(
        readonly=True,
        copy=False,
        help="Each column of the file and the device field it fills, as Odoo's "
        "import matched them by their headers.",
        it_system=True,
    )
    import_fields = fields.Text(readonly=True, copy=False, it_system=True)
    import_columns = fields.Text(readonly=True, copy=False, it_system=True)
    row_count = fields.Integer(string="Rows", readonly=True, copy=False, it_system=True)
    device_count = fields.Integer(
        string="Devices Imported", readonly=True, copy=False, it_system=True
    )
    error_message = fields.Text(
        string="Errors", readonly=True, copy=False, it_system=True
    )
    date_queued = fields.Datetime(
        string="Queued On", readonly=True, copy=False, it_system=True
    )
    date_started = fields.Datetime(
        string="Started On", readonly=True, copy=False, it_system=True
    )
    date_done = fields.Datetime(
        string="Finished On", readonly=True, copy=False, it_system=True
    )

    @api.depends("filename")
    def _compute_name(self):
        for record in self:
            record.name = record.filename or self.env._("Device import")

    @api.depends("state")
    def _compute_is_running(self):
        running = self._get_running_import()
        for record in self:
            record.is_running = record.id in running.ids

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                vals["user_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_queued(self):
        if any(record.state == "queued" for record in self):
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
        length, _rows = importer._read_file(self._import_options())
        return {
            "import_fields": json.dumps(import_fields),
            "import_columns": json.dumps(headers),
            "column_mapping": self._describe_columns(headers, import_fields),
            "row_count": max(length - 1, 0),
        }

    @api.model
    def _describe_columns(self, headers, import_fields):
        """Each column of the file and the device field it fills, a line each."""
        device_fields = self.env["maintenance.equipment"].fields_get(
            attributes=["string"]
        )
        return "\n".join(
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
        )

    # Actions

    def action_queue(self):
        """Check the file's columns and queue it for the scheduled job."""
        self.check_access("write")
        for record in self:
            if record.state != "draft":
                raise UserError(
                    self.env._(
                        "Import %(name)s is already queued or done.", name=record.name
                    )
                )
            vals = record._match_columns()
            record.sudo().write(
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
        self.env.ref(CRON_XMLID)._trigger()
        return True

    def action_reset_draft(self):
        """Take a failed import back to draft, to queue it again."""
        self.check_access("write")
        for record in self:
            if record.state != "failed":
                raise UserError(
                    self.env._(
                        "Only a failed import can be set back to draft; %(name)s "
                        "is not.",
                        name=record.name,
                    )
                )
        self.sudo().write({"state": "draft"})
        return True

    # The scheduled job

    @api.model
    def _get_queue(self, queued_before=None):
        """The queued imports in the order they were queued (those queued by
        ``queued_before`` only, when given)."""
        domain = [("state", "=", "queued")]
        if queued_before:
            domain.append(("date_queued", "<=", queued_before))
        return self.sudo().search(domain, order="date_queued, id")

    @api.model
    def _get_running_import(self):
        """The import the scheduled job is running now, if any: the first in
        the queue when the job's current call began. ir.cron records each
        call as an ``ir.cron.progress`` (committed before the call runs) and
        resets its ``timed_out_counter`` when the call returns."""
        cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
        call = (
            self.env["ir.cron.progress"]
            .sudo()
            .search(
                [("cron_id", "=", cron.id if cron else False)], order="id desc", limit=1
            )
        )
        if not call.timed_out_counter:
            return self.browse()
        return self._get_queue(queued_before=call.create_date)[:1]

    @api.model
    def _get_interrupted_call(self):
        """The job's previous call if it never returned (its worker was
        killed or the server stopped mid-way), as ir.cron recorded it: its
        ``timed_out_counter`` was never reset. Nothing of that call was
        committed."""
        current = self.env.context.get("ir_cron_progress_id")
        if not current:
            return None
        Progress = self.env["ir.cron.progress"].sudo()
        previous = Progress.search(
            [
                ("cron_id", "=", Progress.browse(current).cron_id.id),
                ("id", "<", current),
            ],
            order="id desc",
            limit=1,
        )
        return previous if previous.timed_out_counter else None

    @api.model
    def _cron_import_queued(self):
        """Import the first queued file, whole or not at all, in this call's
        transaction, and tell the scheduler how many are left: ir.cron
        commits the call and calls again while any are. An import that a
        previous call left unfinished (killed) is failed instead: retried,
        it would be killed again and hold up the queue."""
        queue = self._get_queue()
        if queue:
            interrupted = self._get_interrupted_call()
            if interrupted and queue[0] in self._get_queue(interrupted.create_date):
                queue[0]._fail_interrupted()
            else:
                queue[0]._run_import()
        self.env["ir.cron"]._notify_progress(
            done=len(queue[:1]), remaining=len(queue[1:])
        )

    def _fail_interrupted(self):
        self._finish(
            "failed",
            error_message=self.env._(
                "The import was interrupted (the server stopped or the job "
                "was killed) and nothing of it was imported. Set it back to "
                "draft and queue it again."
            ),
        )

    def _run_import(self):
        """Import the file in the current transaction: all its rows, or none
        (back to a savepoint) when a row is refused or the import fails, and
        the import failed with the rows named."""
        self.ensure_one()
        started = fields.Datetime.now()
        try:
            with self.env.cr.savepoint():
                count = self._import_rows()
        except ImportRowsError as error:
            self._finish("failed", date_started=started, error_message=str(error))
        except Exception as error:  # pylint: disable=broad-except
            _logger.exception("Device import %s failed", self.id)
            self._finish(
                "failed",
                date_started=started,
                error_message=self.env._(
                    "The import stopped on an unexpected error and nothing "
                    "was imported: %(error)s",
                    error=error,
                ),
            )
        else:
            self._finish("done", date_started=started, device_count=count)

    def _import_rows(self):
        """Import every row through Odoo's import as the requesting user, a
        batch at a time, in the current transaction. Raise ImportRowsError,
        naming the rows, if any batch is refused."""
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

    def _finish(self, state, **vals):
        """End the import as ``state`` (done or failed) with ``vals``; tell
        the user who queued it."""
        self.ensure_one()
        self.sudo().write(dict(vals, state=state, date_done=fields.Datetime.now()))
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
