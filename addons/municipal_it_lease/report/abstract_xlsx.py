# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from ..tools.xlsx import SAFE_WORKBOOK_OPTIONS


class ItAbstractXlsx(models.AbstractModel):
    """The base of every workbook of the municipal IT addons: text from
    devices, files and lessors is written as text (``SAFE_WORKBOOK_OPTIONS``),
    and the header rows share one style."""

    _name = "report.municipal_it_lease.abstract_xlsx"
    _description = "Municipal IT XLSX Report Base"
    _inherit = "report.report_xlsx.abstract"

    def get_workbook_options(self):
        return dict(SAFE_WORKBOOK_OPTIONS)

    def _add_header_format(self, workbook):
        """The format of a header row."""
        return workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})

    def _write_header(self, workbook, sheet, titles, row=0):
        """Write ``titles`` as the header row ``row`` of ``sheet``."""
        sheet.write_row(row, 0, titles, self._add_header_format(workbook))
