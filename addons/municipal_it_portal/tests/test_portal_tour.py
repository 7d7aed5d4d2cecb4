# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import unittest
from datetime import date

from odoo.tests import tagged

from .common import ItPortalCommon

_logger = logging.getLogger(__name__)

TOUR = "municipal_it_portal_lessor_invoice"


@tagged("post_install", "-at_install")
class TestPortalTour(ItPortalCommon):
    def test_lessor_reads_annex_and_uploads_invoice(self):
        try:
            self.start_tour("/my", TOUR, login="lessor_one", timeout=180)
        except unittest.SkipTest as skipped:
            # No browser or websocket client: a failure, never a skip.
            self.fail(f"Tour {TOUR} could not run: {skipped}")
        _logger.info("TOUR RAN: %s", TOUR)
        reconciliation = self.env["it.lease.reconciliation"].search(
            [("lessor_id", "=", self.lessor.id)]
        )
        # The bad file imported nothing, the good one once.
        self.assertEqual(len(reconciliation), 1)
        self.assertEqual(reconciliation.filename, "spec.csv")
        self.assertEqual(reconciliation.date_from, date(2026, 3, 1))
        # 500 + 450 invoiced; SN-B 50 over, SN-D not invoiced.
        self.assertAlmostEqual(reconciliation.invoiced_total, 950.0)
        self.assertEqual(reconciliation.discrepancy_count, 2)
