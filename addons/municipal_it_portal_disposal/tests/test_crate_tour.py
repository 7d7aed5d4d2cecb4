# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import unittest

from odoo.tests import tagged

from .common import CratePortalCommon

_logger = logging.getLogger(__name__)

TOUR = "municipal_it_portal_lessor_crate"


@tagged("post_install", "-at_install")
class TestCrateTour(CratePortalCommon):
    def _start_tour_or_fail(self, tour, login):
        """Run ``tour`` in headless Chromium; a missing browser or websocket
        client fails the test instead of skipping it."""
        try:
            self.start_tour("/my", tour, login=login, timeout=180)
        except unittest.SkipTest as skipped:
            self.fail(f"Tour {tour} could not run: {skipped}")
        _logger.info("TOUR RAN: %s", tour)

    def test_lessor_confirms_grades_and_uploads(self):
        self._start_tour_or_fail(TOUR, "crate_lessor")
        lines = {line.serial_no: line for line in self.batch.line_ids}
        # Receipt of RA-1 and RA-2 with the seals put on; RA-3 missing.
        self.assertEqual(lines["RA-1"].receipt_state, "received")
        self.assertEqual(lines["RA-2"].receipt_state, "received")
        self.assertEqual(lines["RA-3"].receipt_state, "pending")
        self.assertFalse(self.batch.has_incident)
        received = self.batch.event_ids.filtered(lambda e: e.event_type == "received")
        self.assertEqual(received.user_id, self.portal)
        self.assertEqual(received.seal_numbers, "S-1001, S-1002")
        # Grades and offered values as typed: 1,200.00 + 150.50 = 1,350.50.
        self.assertEqual(
            (
                lines["RA-1"].grade,
                lines["RA-1"].disposition,
                lines["RA-1"].offered_value,
            ),
            ("b", "remarket", 1200.0),
        )
        self.assertEqual(
            (
                lines["RA-2"].grade,
                lines["RA-2"].disposition,
                lines["RA-2"].offered_value,
            ),
            ("d", "recycle", 150.5),
        )
        self.assertAlmostEqual(sum(self.batch.line_ids.mapped("offered_value")), 1350.5)
        # The bad report imported nothing; the good one two certificates.
        reports = self.batch.report_ids
        self.assertEqual(reports.mapped("file_name"), ["wipe-good.csv"])
        self.assertEqual(
            sorted(reports.certificate_ids.mapped("medium_serial")),
            ["SSD-A1", "SSD-B1"],
        )
        # Each step is a chatter message in the portal user's name and an
        # activity for the responsible: receipt, grades, report.
        messages = self.batch.message_ids.filtered(
            lambda m: (
                m.author_id == self.portal.partner_id and m.message_type == "comment"
            )
        )
        self.assertEqual(len(messages), 3)
        self.assertEqual(
            len(
                self.batch.activity_ids.filtered(
                    lambda a: (
                        a.user_id == self.it_boss and "Lessor" in (a.summary or "")
                    )
                )
            ),
            3,
        )
