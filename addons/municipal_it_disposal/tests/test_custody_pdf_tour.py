# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import unittest
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestCustodyPdfFallback(DisposalCommon, HttpCase):
    """Issue 24, item 5: without wkhtmltopdf, the custody document falls
    back to HTML with a readable warning (a link, no raw <br> or <a href>)."""

    def test_fallback_warning_has_no_raw_markup(self):
        batch = self._batch()
        batch.action_seal()
        Report = type(self.env["ir.actions.report"])
        # The state of a machine without wkhtmltopdf, whatever this one has.
        with patch.object(Report, "get_wkhtmltopdf_state", lambda self: "install"):
            try:
                self.start_tour(
                    f"/odoo/action-municipal_it_disposal.it_disposal_batch_action/{batch.id}",
                    "municipal_it_custody_pdf_fallback",
                    login=self.it_user.login,
                    timeout=120,
                )
            except unittest.SkipTest as skipped:
                self.fail(f"The tour could not run: {skipped}")
