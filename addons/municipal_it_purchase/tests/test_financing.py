# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ItPurchaseCommon


@tagged("post_install", "-at_install")
class TestFinancing(ItPurchaseCommon):
    def _financed(self, product, qty, price, **values):
        return self._line(
            product,
            qty,
            price,
            self.code_school,
            it_financing="lessor",
            it_lessor_id=self.lessor.id,
            **values,
        )

    def _schedules(self):
        return self.env["it.lease.schedule"].search(
            [("lessor_id", "=", self.lessor.id)]
        )

    def test_financed_line_joins_draft_schedule_with_rate_card_rent(self):
        order = self._create_order(
            [
                self._financed(self.laptop, 2, 12000),
                self._financed(self.monitor, 1, 2400),
                self._financed(self.tablet, 1, 3000),
            ]
        )
        picking = self._confirm(order, self.holder_school)
        self._receive(
            picking,
            {
                self.laptop: ["FL-1", "FL-2"],
                self.monitor: ["FM-1"],
                self.tablet: ["FT-1"],
            },
        )
        # Nothing to bill: the reseller bills the lessor.
        self.assertEqual(order.order_line.mapped("qty_to_invoice"), [0.0, 0.0, 0.0])
        self.assertEqual(order.invoice_status, "no")
        with self.assertRaises(UserError):
            order.action_create_invoice()
        schedule = self._schedules()
        self.assertEqual(len(schedule), 1)
        self.assertEqual(schedule.state, "draft")
        month = fields.Date.context_today(schedule).replace(day=1)
        self.assertEqual(schedule.it_receipt_month, month)
        self.assertEqual(schedule.date_start, month)
        # A master agreement is created for a lessor that had none.
        self.assertEqual(schedule.agreement_id.lessor_id, self.lessor)
        rents = {line.serial_no: line.monthly_rent for line in schedule.line_ids}
        # Laptop, 36 months at 2.95 % a month: 12,000 × 2.95 / 100 = 354.00.
        # Monitor, 48 months: a fixed rent of 59. Tablet: no rate, the lessor's
        # annex fills it in (0).
        self.assertEqual(
            rents, {"FL-1": 354.0, "FL-2": 354.0, "FM-1": 59.0, "FT-1": 0.0}
        )
        # Fair value = purchase prices: 2 × 12,000 + 2,400 + 3,000 = 29,400.
        self.assertAlmostEqual(schedule.fair_value, 29400.0)
        devices = schedule.line_ids.equipment_id
        self.assertFalse(any(devices.mapped("is_owned")))
        self.assertEqual(set(devices.mapped("it_financing")), {"lessor"})
        self.assertEqual(devices.lessor_id, self.lessor)

        # A second receipt of the month joins the same schedule.
        order2 = self._create_order([self._financed(self.laptop, 1, 10000)])
        picking2 = self._confirm(order2, self.holder_school)
        self._receive(picking2, {self.laptop: ["FL-3"]})
        self.assertEqual(self._schedules(), schedule)
        self.assertEqual(len(schedule.line_ids), 5)
        # 29,400 + 10,000 = 39,400; rent 10,000 × 2.95 % = 295.00.
        self.assertAlmostEqual(schedule.fair_value, 39400.0)
        self.assertEqual(
            schedule.line_ids.filtered(lambda ln: ln.serial_no == "FL-3").monthly_rent,
            295.0,
        )
        self.assertEqual(
            self.env["it.lease.agreement"].search_count(
                [("lessor_id", "=", self.lessor.id)]
            ),
            1,
        )

    def test_returned_financed_device_leaves_draft_schedule(self):
        order = self._create_order([self._financed(self.laptop, 2, 12000)])
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: ["FR-1", "FR-2"]})
        schedule = self._schedules()
        device = schedule.line_ids.equipment_id.filtered(
            lambda d: d.serial_no == "FR-1"
        )
        device._mark_it_returned_to_vendor(picking)
        self.assertEqual(schedule.line_ids.equipment_id.mapped("serial_no"), ["FR-2"])
        self.assertAlmostEqual(schedule.fair_value, 12000.0)

    def test_bought_line_billed(self):
        order = self._create_order(
            [
                self._line(self.laptop, 2, 10000, self.code_school),
                self._financed(self.monitor, 1, 2400),
            ]
        )
        picking = self._confirm(order, self.holder_school)
        self._receive(picking, {self.laptop: ["BB-1", "BB-2"], self.monitor: ["BM-1"]})
        bought, financed = order.order_line
        self.assertEqual(bought.qty_to_invoice, 2)
        self.assertEqual(financed.qty_to_invoice, 0)
        self.assertEqual(order.invoice_status, "to invoice")
        order.action_create_invoice()
        bill = order.invoice_ids
        self.assertEqual(len(bill), 1)
        # Only the bought line is billed: 2 × 10,000 = 20,000.
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, bought)
        self.assertAlmostEqual(bill.amount_untaxed, 20000.0)
        self.assertEqual(order.invoice_status, "invoiced")
        owned = self.env["maintenance.equipment"].search(
            [("serial_no", "in", ["BB-1", "BB-2"])]
        )
        self.assertEqual(owned.mapped("is_owned"), [True, True])
        self.assertFalse(owned.lease_line_ids)

    def test_financed_line_needs_lessor(self):
        with self.assertRaisesRegex(ValidationError, "names its lessor"):
            self._create_order(
                [
                    self._line(
                        self.laptop, 1, 100, self.code_school, it_financing="lessor"
                    )
                ]
            )

    def test_rate_card_rent_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            self.env["it.lease.rate"].create(
                {
                    "lessor_id": self.lessor.id,
                    "device_category": "phone",
                    "term_months": 24,
                    "rate_type": "percent",
                    "rate_percent": 0,
                }
            )

    def test_rate_card_rights(self):
        # Buyers read the rate card; only IT leasing managers change it.
        rate = self.env["it.lease.rate"].search([("lessor_id", "=", self.lessor.id)])[0]
        self.assertTrue(rate.with_user(self.buyer).rate_type)
        with self.assertRaises(AccessError):
            rate.with_user(self.buyer).write({"rate_percent": 1.0})
        manager = new_test_user(
            self.env,
            login="it_lease_manager",
            groups="municipal_it_lease.municipal_it_lease_group_manager",
        )
        rate.with_user(manager).write({"rate_percent": 3.1})
        self.assertEqual(rate.rate_percent, 3.1)
