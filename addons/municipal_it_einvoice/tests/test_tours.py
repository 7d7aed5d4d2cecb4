# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Accounts payable in a real browser (headless Chromium). A missing browser
fails these tests: it never skips them."""

import logging
import unittest
from datetime import date

from odoo.tests import HttpCase, tagged

from . import ubl_builder

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.company.currency_id.rounding = 0.01
        cls.company.partner_id.company_registry = "2120000142"
        cls.lessor = env["res.partner"].create(
            {
                "name": "Tour E-Invoice Lessor AB",
                "is_company": True,
                "company_registry": "5566778808",
            }
        )
        agreement = env["it.lease.agreement"].create(
            {"name": "TOUR-EINV-MA", "lessor_id": cls.lessor.id}
        )
        cls.schedule = env["it.lease.schedule"].create(
            {
                "name": "TOUR-EINV-1",
                "agreement_id": agreement.id,
                "date_start": date(2025, 1, 1),
                "term_months": 36,
            }
        )
        for serial, rent in (("TOUR-EI-1", 500.0), ("TOUR-EI-2", 400.0)):
            device = env["maintenance.equipment"].create(
                {"name": f"Laptop {serial}", "serial_no": serial}
            )
            env["it.lease.line"].create(
                {
                    "schedule_id": cls.schedule.id,
                    "equipment_id": device.id,
                    "monthly_rent": rent,
                }
            )
        cls.schedule.action_activate()
        # TOUR-EI-1 billed as leased; TOUR-EI-2 450.00 against 400.00.
        env["ir.attachment"].create(
            {
                "name": "municipal_it_einvoice_tour.xml",
                "raw": ubl_builder.build(
                    [("TOUR-EI-1", 500.0), ("TOUR-EI-2", 450.0)],
                    number="TOUR-F-1",
                    contract_ref="TOUR-EINV-1",
                    currency=cls.company.currency_id.name,
                    seller=(cls.lessor.name, "5566778808"),
                ),
                "mimetype": "application/xml",
            }
        )

    def _tour(self, name):
        try:
            self.start_tour("/odoo", name, login="admin", timeout=180)
        except unittest.SkipTest as skipped:
            self.fail(f"Tour {name} could not run: {skipped}")
        _logger.info("Tour ran: %s", name)

    def test_upload_dispute_release(self):
        self._tour("municipal_it_einvoice_upload_bill")
        bill = self.env["account.move"].search(
            [("partner_id", "=", self.lessor.id), ("move_type", "=", "in_invoice")]
        )
        self.assertEqual(len(bill), 1)
        reconciliation = bill.it_reconciliation_id
        self.assertEqual(reconciliation.vendor_bill_id, bill)
        self.assertEqual(reconciliation.state, "disputed")
        self.assertEqual(
            (reconciliation.matched_count, reconciliation.amount_differs_count),
            (1, 1),
        )
        # 450.00 invoiced against 400.00: 50.00 overcharged, disputed.
        self.assertEqual(bill.it_discrepancy_amount, 50.0)
        self.assertFalse(bill.it_einvoice_hold)
