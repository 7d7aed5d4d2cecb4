# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestLeaseEnd(DisposalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A device that stays on lease, 500 SEK a month, for comparison.
        cls.staying = cls._leased_device("STAY-1", 500.0, cls.code_school)
        cls.schedule.action_activate()

    def _month_charge(self, month):
        run = self.Run.create({"date_from": month})
        run.action_compute()
        return {
            device.serial_no: sum(
                run.line_ids.filtered(
                    lambda line, d=device: line.equipment_id == d
                ).mapped("amount")
            )
            for device in run.line_ids.equipment_id
        }

    def _return_all(self, receipt_date):
        batch = self._batch()
        batch.action_seal()
        self._collect(batch, pickup=date(2026, 3, 2))
        batch._confirm_receipt("RA-1 RA-2 RA-3", receipt_date, "", "", "")
        return batch

    def test_receipt_ends_the_lease_line_and_next_month_excludes_it(self):
        self._return_all(date(2026, 3, 10))
        self.assertEqual(
            set(self.return_schedule.line_ids.mapped("date_returned")),
            {date(2026, 3, 10)},
        )
        # April 2026: only the device still on lease, 500.00; the returned
        # devices (returned 10 March) are not charged at all.
        self.assertEqual(self._month_charge(date(2026, 4, 1)), {"STAY-1": 500.0})

    def test_month_of_receipt_charged_until_the_receipt(self):
        """The lease ended on 28 February but the devices went back on 10
        March: March charges 1-10 March, 310 x 10 / 31 = 100.00 each."""
        self._return_all(date(2026, 3, 10))
        self.assertEqual(
            self._month_charge(date(2026, 3, 1)),
            {"STAY-1": 500.0, "RA-1": 100.0, "RA-2": 100.0, "RA-3": 100.0},
        )

    def test_pickup_basis_ends_the_lease_at_pickup(self):
        self.return_schedule.return_end_basis = "pickup"
        batch = self._batch()
        batch.action_seal()
        self._collect(batch, pickup=date(2026, 3, 2))
        self.assertEqual(
            set(self.return_schedule.line_ids.mapped("date_returned")),
            {date(2026, 3, 2)},
        )
        batch._confirm_receipt("RA-1 RA-2 RA-3", date(2026, 3, 20), "", "", "")
        self.assertEqual(
            set(self.return_schedule.line_ids.mapped("date_returned")),
            {date(2026, 3, 2)},
        )
