# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib

from odoo import models
from odoo.exceptions import UserError

from odoo.addons.base_import.models.base_import import ImportValidationError

from ..tools import bulk
from ..tools.fileparse import DELIMITERS, XLSX_MAGIC, check_rows, read_table

# The last file this process read for an import: {"entry": (key, value)}.
_last_read = {}


class BaseImportImport(models.TransientModel):
    """Devices and lease data arrive in every shape: for this addon's models
    Odoo's import reads the file with ``tools.fileparse`` and turns any file
    it cannot read (undecodable bytes, binary junk, NUL bytes, cut-off rows,
    a ZIP that is no workbook, an empty file) into an import message naming
    the row and column, instead of a server error."""

    _inherit = "base_import.import"

    def _is_it_lease_import(self):
        return self.res_model == "maintenance.equipment" or (
            self.res_model or ""
        ).startswith("it.")

    def execute_import(self, fields, columns, options, dryrun=False):
        if not self._is_it_lease_import():
            return super().execute_import(fields, columns, options, dryrun=dryrun)
        with bulk.paused_gc():
            return super().execute_import(fields, columns, options, dryrun=dryrun)

    def _read_file(self, options):
        if not self._is_it_lease_import():
            return super()._read_file(options)
        content = self.file or b""
        # The web client imports a large file in batches, each a call that
        # reads the whole file again: the last file read is kept (per
        # process, by content), so a register of 100,000 devices is parsed
        # once rather than once per batch.
        key = (
            hashlib.sha256(content).digest(),
            options.get("separator"),
            options.get("sheet"),
            bool(options.get("has_headers")),
        )
        last_key, last_value = _last_read.get("entry", (None, None))
        if last_key == key:
            return last_value
        value = self._read_it_file(content, options)
        _last_read["entry"] = (key, value)  # one assignment: thread-safe
        return value

    def _read_it_file(self, content, options):
        try:
            if content.startswith(XLSX_MAGIC):
                rows = check_rows(self._read_it_workbook(options), self.env)
            else:
                separator = options.get("separator")
                rows = read_table(
                    content,
                    self.env,
                    delimiter=separator if separator in DELIMITERS else None,
                )
        except UserError as error:
            raise ImportValidationError(error.args[0]) from error
        table = [cells for _number, cells in rows]
        if options.get("has_headers") and len(table) < 2:
            raise ImportValidationError(
                self.env._("The file has a header row but no rows to import.")
            )
        return len(table), table

    def _read_it_workbook(self, options):
        try:
            # Straight to Odoo's XLSX reader: its dispatch would guess the type
            # again and log each failed guess with a traceback.
            _length, table = self._read_xlsx(options)
        except ImportValidationError:
            raise
        # openpyxl, zipfile, zlib and the XML parser each raise their own
        # exceptions; whichever it is, the file is not a readable workbook.
        except Exception as error:
            raise UserError(
                self.env._(
                    "The file looks like an XLSX workbook but cannot be read as "
                    "one (%(error)s). Open it in a spreadsheet and save it again "
                    "as XLSX or CSV.",
                    error=type(error).__name__,
                )
            ) from error
        return list(enumerate(table, start=1))
