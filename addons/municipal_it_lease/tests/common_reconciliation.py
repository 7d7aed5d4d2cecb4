# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from .common_charge import ItChargeCommon

MARCH = date(2026, 3, 1)


class ItReconciliationCommon(ItChargeCommon):
    """Schedule S-1 of the lessor, running through 2027, with four devices:
    A (500.00) and B (400.00) leased, C (300.00) returned at the end of
    February, D (250.00) leased but left out of the lessor's invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s1 = cls._create_schedule("S-1", date(2025, 1, 1), 36)
        cls.device_a = cls._leased_device("SN-A", 500.0, cls.code_school, cls.s1)
        cls.device_b = cls._leased_device("SN-B", 400.0, cls.code_school, cls.s1)
        cls.device_c = cls._leased_device(
            "SN-C", 300.0, cls.code_care, cls.s1, date_end=date(2026, 2, 28)
        )
        cls.device_d = cls._leased_device("SN-D", 250.0, cls.code_care, cls.s1)
        cls.s1.action_activate()
        cls.device_c.lease_line_id._decide_return()
        cls.device_c.lease_line_id._register_return(date(2026, 2, 28))
        cls.Reconciliation = cls.env["it.lease.reconciliation"]

    def _import(self, content, month=MARCH):
        """Import ``content`` for ``month``, in place of an earlier import of
        the same month (tests import several files for one month)."""
        return self.Reconciliation._import_specification(
            self.lessor, month, content, "spec.csv", replace=True
        )

    def _by_serial(self, reconciliation):
        return {
            line.serial_no: (line.status, line.invoiced_amount, line.expected_amount)
            for line in reconciliation.line_ids
        }
