# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.common import ItLeaseCommon


@tagged("post_install", "-at_install")
class TestR5Note(ItLeaseCommon):
    """The R5 note as of 2026-12-31 for three schedules: one financial, one
    operational, one extended. Fiscal year = calendar year."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"fiscalyear_last_day": 31, "fiscalyear_last_month": "12"})
        # Financial: 48 rents of 1,000 in advance from 2025-01-01 at 12 % a
        # year (1 % a month). PV at start = 1000 x (1 - 1.01^-48) / 0.01 x 1.01
        # = 38,353.70 > 80 % of the fair value 40,000 = 32,000.
        cls.financial = cls._schedule(
            "R5-F",
            date(2025, 1, 1),
            48,
            [1000.0],
            fair_value=40000,
            discount_rate=12,
        )
        # Operational: 72 months from 2026-07-01, two devices at 500; at 0 %
        # the PV is 72 x 1,000 = 72,000, not above 80 % of 100,000.
        cls.operational = cls._schedule(
            "R5-O", date(2026, 7, 1), 72, [500.0, 500.0], fair_value=100000
        )
        # Extended: 36 months from 2024-01-01 at 800 (ends 2026-12-31), then
        # extended 2027-01-01 to 2028-06-30 (18 months) at 400.
        cls.extended = cls._schedule(
            "R5-E", date(2024, 1, 1), 36, [800.0], fair_value=100000
        )
        line = cls.extended.line_ids
        line._decide_extend(date(2027, 1, 1), date(2028, 6, 30), {line: 400.0})

    @classmethod
    def _schedule(cls, name, start, months, rents, **values):
        schedule = cls._create_schedule(name, start, months, **values)
        cls.env["it.lease.line"].create(
            [
                {
                    "schedule_id": schedule.id,
                    "equipment_id": cls._create_device(f"{name}-{index}").id,
                    "monthly_rent": rent,
                }
                for index, rent in enumerate(rents)
            ]
        )
        schedule.action_activate()
        return schedule

    def _note(self):
        note = (
            self.env["it.r5.note"]
            .with_user(self.it_manager)
            .create({"date_to": date(2026, 12, 31)})
        )
        note.action_compute()
        return note

    def test_classification(self):
        self.assertEqual(self.financial.r5_classification, "financial")
        self.assertEqual(self.operational.r5_classification, "operational")
        self.assertEqual(self.extended.r5_classification, "operational")

    def test_note(self):
        note = self._note()
        self.assertEqual(note.date_from, date(2026, 1, 1))
        rows = {line.code: (line.financial, line.operational) for line in note.line_ids}
        # Paid in 2026: financial 12 x 1,000 = 12,000; operational: R5-O
        # Jul-Dec 6 x 1,000 = 6,000 + R5-E 12 x 800 = 9,600 -> 15,600.
        self.assertEqual(rows["paid"], (12000.0, 15600.0))
        # Within one year (due 2027-01-01 .. 2027-12-31): financial 12 x 1,000;
        # operational 12 x 1,000 (R5-O) + 12 x 400 (R5-E) = 16,800.
        self.assertEqual(rows["due_1y"], (12000.0, 16800.0))
        # 1-5 years (2028-01-01 .. 2031-12-31): financial 12 x 1,000 (2028);
        # operational 48 x 1,000 (R5-O) + 6 x 400 (R5-E, Jan-Jun 2028) = 50,400.
        self.assertEqual(rows["due_1_5y"], (12000.0, 50400.0))
        # After 5 years: R5-O Jan-Jun 2032, 6 x 1,000.
        self.assertEqual(rows["due_after_5y"], (0.0, 6000.0))
        self.assertEqual(rows["future_total"], (24000.0, 73200.0))
        # PV at 2026-12-31 of 24 rents in advance at 1 %/month:
        # 1000 x (1 - 1.01^-24) / 0.01 x 1.01 = 1000 x (1 - 0.787566) / 0.01
        # x 1.01 = 21,455.82.
        self.assertEqual(rows["present_value"][0], 21455.82)
        # Long-term: the 12 rents of 2028 valued at 2027-12-31:
        # 1000 x (1 - 1.01^-12) / 0.01 x 1.01 = 1000 x (1 - 0.887449) / 0.01
        # x 1.01 = 11,367.63; short-term = 21,455.82 - 11,367.63 = 10,088.19.
        self.assertEqual(rows["liability_long"][0], 11367.63)
        self.assertEqual(rows["liability_short"][0], 10088.19)
        # Interest = 24,000 - 21,455.82.
        self.assertEqual(rows["interest"][0], 2544.18)
        self.assertEqual(rows["present_value"][1], 0.0)

    def test_bought_out_line_stops(self):
        """A line that ends early (bought out on 2027-06-30) owes no rent
        after its end."""
        self.operational.line_ids[0].date_end = date(2027, 6, 30)
        rows = {line.code: line.operational for line in self._note().line_ids}
        # Within a year: R5-O the first device Jan-Jun 2027, 6 x 500 = 3,000,
        # the second 12 x 500 = 6,000; R5-E 12 x 400 = 4,800 -> 13,800.
        # 1-5 years: the second device only, 48 x 500 = 24,000 + R5-E 2,400.
        self.assertEqual(rows["due_1y"], 13800.0)
        self.assertEqual(rows["due_1_5y"], 26400.0)
        self.assertEqual(rows["due_after_5y"], 3000.0)

    def test_relief_short_term(self):
        """With the relief for terms of at most 48 months, R5-F is reported
        as operational."""
        self.company.it_r5_relief_max_months = 48
        rows = {
            line.code: (line.financial, line.operational)
            for line in self._note().line_ids
        }
        self.assertEqual(rows["paid"], (0.0, 27600.0))
        self.assertEqual(rows["present_value"], (0.0, 0.0))

    def test_paid_from_posted_vendor_bill(self):
        """December 2026 is taken from the lessor's posted bill (1,100 for
        R5-F) instead of the schedule (1,000)."""
        payable = self.env["account.account"].create(
            {
                "name": "Leverantörsskulder",
                # Not a code of Odoo's Swedish chart, which the database may have.
                "code": "244099",
                "account_type": "liability_payable",
            }
        )
        expense = self.env["account.account"].create(
            {"name": "Leasing datorer", "code": "525299", "account_type": "expense"}
        )
        self.env["account.journal"].create(
            {"name": "Leverantörsfakturor", "code": "LF", "type": "purchase"}
        )
        self.lessor.property_account_payable_id = payable
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.lessor.id,
                "invoice_date": date(2026, 12, 1),
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Hyra dec",
                            "price_unit": 1100.0,
                            "account_id": expense.id,
                            "tax_ids": [(5,)],
                        },
                    )
                ],
            }
        )
        bill.action_post()
        reconciliation = self.env["it.lease.reconciliation"].create(
            {
                "lessor_id": self.lessor.id,
                "date_from": date(2026, 12, 1),
                "vendor_bill_id": bill.id,
            }
        )
        # As the import of the lessor's specification writes it.
        self.env["it.lease.reconciliation.line"].sudo().create(
            {
                "reconciliation_id": reconciliation.id,
                "lease_line_id": self.financial.line_ids.id,
                "invoiced_amount": 1100.0,
                "period": date(2026, 12, 1),
            }
        )
        rows = {
            line.code: (line.financial, line.operational)
            for line in self._note().line_ids
        }
        # Financial: 11 x 1,000 from the schedule + 1,100 billed = 12,100.
        # Operational: the lessor's December bill lists nothing else, so the
        # December rents of R5-O (1,000) and R5-E (800) are not counted:
        # 15,600 - 1,800 = 13,800.
        self.assertEqual(rows["paid"], (12100.0, 13800.0))

    def test_xlsx(self):
        note = self._note()
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "municipal_it_report.r5_note_xlsx", note.ids, {}
        )
        self.assertEqual(kind, "xlsx")
        sheet = load_workbook(io.BytesIO(content)).active
        rows = [row[:3] for row in sheet.iter_rows(values_only=True) if row[0]]
        financial = rows.index(("Financial leases", "2026", "2025"))
        operational = rows.index(("Operational leases", "2026", "2025"))
        self.assertLess(financial, operational)
        # 2025: financial 12 x 1,000 paid; operational only R5-E, 12 x 800.
        self.assertEqual(
            rows[financial + 1], ("Lease fees paid in the year", 12000, 12000)
        )
        self.assertEqual(
            rows[operational + 1], ("Lease fees paid in the year", 15600, 9600)
        )
        # After 5 years: 2026 as tested above; 2025 (after 2030-12-31): R5-O
        # Jan 2031 - Jun 2032, 18 x 1,000.
        self.assertIn(
            ("Contracted future lease fees due after 5 years", 6000, 18000), rows
        )
        # The operational block has no present value rows.
        self.assertEqual(len(rows) - operational - 1, 5)

    def test_relief_low_value(self):
        """R5-F's fair value per device is 40,000; a threshold of 40,000
        reports it as operational, 39,999 does not."""
        self.company.it_r5_relief_value_threshold = 39999
        paid = self._note().line_ids.filtered(lambda line: line.code == "paid")
        self.assertEqual((paid.financial, paid.operational), (12000.0, 15600.0))
        self.company.it_r5_relief_value_threshold = 40000
        paid = self._note().line_ids.filtered(lambda line: line.code == "paid")
        self.assertEqual((paid.financial, paid.operational), (0.0, 27600.0))

    def test_other_company_left_out(self):
        other = self.env["res.company"].create({"name": "Grannkommunen"})
        self.env.user.company_ids |= other
        lessor = self.env["res.partner"].create({"name": "Annan leasegivare"})
        env = self.env(context=dict(self.env.context, allowed_company_ids=other.ids))
        agreement = env["it.lease.agreement"].create(
            {"name": "MA-OTHER", "lessor_id": lessor.id, "company_id": other.id}
        )
        schedule = env["it.lease.schedule"].create(
            {
                "name": "R5-X",
                "agreement_id": agreement.id,
                "date_start": date(2026, 1, 1),
                "term_months": 12,
                "company_id": other.id,
            }
        )
        device = env["maintenance.equipment"].create(
            {"name": "Dator X", "serial_no": "R5-X-1", "company_id": other.id}
        )
        env["it.lease.line"].create(
            {"schedule_id": schedule.id, "equipment_id": device.id, "monthly_rent": 99}
        )
        schedule.action_activate()
        paid = self._note().line_ids.filtered(lambda line: line.code == "paid")
        self.assertEqual((paid.financial, paid.operational), (12000.0, 15600.0))
