# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import Form, tagged

from .common_charge import ItChargeCommon


@tagged("post_install", "-at_install")
class TestLeaseEndDecision(ItChargeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyout_account = cls.env["account.account"].create(
            {"name": "Inventarier IT", "code": "122001", "account_type": "asset_fixed"}
        )
        cls.company.it_buyout_account_id = cls.buyout_account
        # 1 June 2023 + 36 months: ends 31 May 2026.
        cls.annex = cls._create_schedule("END-1", date(2023, 6, 1), 36)
        cls.device_a = cls._leased_device("E-A", 500.0, cls.code_school, cls.annex)
        cls.device_b = cls._leased_device("E-B", 400.0, cls.code_school, cls.annex)
        cls.device_c = cls._leased_device("E-C", 300.0, cls.code_care, cls.annex)
        cls.annex.line_ids.filtered(
            lambda line: line.equipment_id == cls.device_a
        ).write({"residual_value": 1250.0})
        cls.annex.line_ids.filtered(
            lambda line: line.equipment_id == cls.device_b
        ).write({"residual_value": 980.0})
        cls.annex.action_activate()

    def _wizard(self, decision, exceptions=None, **values):
        form = Form(
            self.env["it.lease.end.decision"]
            .with_user(self.it_manager)
            .with_context(default_schedule_id=self.annex.id)
        )
        form.decision = decision
        for name, value in values.items():
            setattr(form, name, value)
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                device = line.equipment_id
                if exceptions and device in exceptions:
                    line.decision = exceptions[device][0]
                    if len(exceptions[device]) > 1:
                        line.new_monthly_rent = exceptions[device][1]
        return form.save()

    def _june(self):
        run = self._run(date(2026, 6, 1))
        run.action_compute()
        return run

    def test_return_ends_the_lease_and_the_charge(self):
        self._wizard("return").action_apply()
        lines = self.annex.line_ids
        self.assertEqual(set(lines.mapped("end_decision")), {"return"})
        self.assertEqual(set(lines.mapped("date_end")), {date(2026, 5, 31)})
        self.assertTrue(
            all(self.annex.line_ids.equipment_id.mapped("return_requested"))
        )
        # The rent continues until the lessor takes the devices back: June is
        # charged in full while they are still here.
        june = self._june()
        self.assertEqual(june.amount_total, 500.0 + 400.0 + 300.0)
        june.unlink()
        # Taken back on 10 June (30 days): 500 x 10/30 = 166.67,
        # 400 x 10/30 = 133.33, 300 x 10/30 = 100.00.
        lines._register_return(date(2026, 6, 10))
        june = self._june()
        self.assertEqual(self._charged(june, self.device_a), {"3200": 166.67})
        self.assertEqual(self._charged(june, self.device_b), {"3200": 133.33})
        self.assertEqual(self._charged(june, self.device_c), {"4100": 100.0})
        june.unlink()
        july = self._run(date(2026, 7, 1))
        july.action_compute()
        self.assertFalse(july.line_ids)

    def test_buy_out_drafts_a_bill_at_the_residual_value(self):
        action = self._wizard(
            "buy_out", {self.device_c: ("return",)}, buyout_date=date(2026, 5, 31)
        ).action_apply()
        bill = self.env["account.move"].search(action["domain"])
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.partner_id, self.lessor)
        # 1,250.00 + 980.00 = 2,230.00, no tax.
        self.assertEqual(bill.amount_total, 2230.0)
        self.assertEqual(
            sorted(bill.invoice_line_ids.mapped("price_unit")), [980.0, 1250.0]
        )
        self.assertEqual(set(bill.invoice_line_ids.account_id), {self.buyout_account})
        self.assertTrue(self.device_a.is_owned and self.device_b.is_owned)
        self.assertFalse(self.device_c.is_owned)
        self.assertTrue(self.device_c.return_requested)
        self.assertEqual(self.device_a.lease_line_id.buyout_move_id, bill)
        self.assertEqual(bill.currency_id, self.annex.currency_id)
        self.assertEqual(bill.invoice_date, date(2026, 5, 31))
        # Owned from June: no more internal lease charge for A and B; C, to be
        # returned, runs on at 300.00 until the lessor takes it back.
        june = self._june()
        self.assertEqual(june.line_ids.equipment_id, self.device_c)
        self.assertEqual(june.amount_total, 300.0)

    def test_extend_charges_the_new_rent(self):
        self._wizard(
            "extend",
            {self.device_b: (False, 350.0), self.device_c: ("return",)},
            extension_date_from=date(2026, 6, 1),
            extension_date_end=date(2027, 5, 31),
        ).action_apply()
        old_line = self.device_b.lease_line_ids.filtered(
            lambda line: line.end_decision == "extend"
        )
        self.assertEqual(old_line.date_end, date(2026, 5, 31))
        new_line = old_line.extension_line_id
        self.assertEqual(self.device_b.lease_line_id, new_line)
        self.assertEqual(
            (new_line.date_start, new_line.date_end, new_line.monthly_rent),
            (date(2026, 6, 1), date(2027, 5, 31), 350.0),
        )
        # June: A extended at its old rent 500.00, B at 350.00; C, to be
        # returned, runs on at 300.00 until the lessor takes it back.
        june = self._june()
        self.assertEqual(self._charged(june, self.device_a), {"3200": 500.0})
        self.assertEqual(self._charged(june, self.device_b), {"3200": 350.0})
        self.assertEqual(self._charged(june, self.device_c), {"4100": 300.0})
        # May is still charged at the old rents.
        may = self._run(date(2026, 5, 1))
        may.action_compute()
        self.assertEqual(self._charged(may, self.device_b), {"3200": 400.0})

    def test_decision_from_the_device_list(self):
        form = Form(
            self.env["it.lease.end.decision"].with_context(
                active_model="maintenance.equipment", active_ids=self.device_a.ids
            )
        )
        form.decision = "return"
        form.save().action_apply()
        self.assertEqual(self.device_a.lease_line_id.end_decision, "return")
        self.assertFalse(self.device_b.lease_line_id.end_decision)
        # A decided device is not offered again.
        again = Form(
            self.env["it.lease.end.decision"].with_context(
                active_model="maintenance.equipment", active_ids=self.device_a.ids
            )
        )
        self.assertEqual(len(again.line_ids), 0)
