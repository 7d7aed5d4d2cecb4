# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestBatchFlow(DisposalCommon):
    def test_whole_chain_from_decision_to_settlement(self):
        """IT staff pack, seal and hand over the crate; the lessor receives,
        wipes and grades; the IT manager settles."""
        batch = self._batch().with_user(self.it_user)
        self.assertEqual(batch.line_ids.mapped("reason"), ["return"] * 3)
        batch.expected_count = 3
        batch.action_seal()
        self._collect(batch)
        self.assertEqual(batch.state, "collected")
        self.assertTrue(all(self.devices.mapped("disposal_in_transit")))
        batch._confirm_receipt(
            "RA-1 RA-2 RA-3",
            date(2026, 3, 10),
            "S-1002, S-1001",
            "Lisa Mottagare",
            "Kista",
        )
        self.assertEqual(batch.state, "received")
        self.assertEqual(set(self.devices.mapped("lifecycle_state")), {"returned"})
        self.assertFalse(any(self.devices.mapped("disposal_in_transit")))
        self.assertEqual(
            set(self.return_schedule.line_ids.mapped("date_returned")),
            {date(2026, 3, 10)},
        )
        self._certify_all(batch, user=self.it_user)
        batch.action_sanitized()
        line_a, line_b, line_c = batch.line_ids.sorted("serial_no")
        line_a.write({"grade": "a", "offered_value": 1200.0, "disposition": "remarket"})
        line_b.write(
            {
                "grade": "b",
                "offered_value": 800.0,
                "damage_charge": 350.0,
                "damage_note": "Spricka i skärmen",
                "disposition": "remarket",
            }
        )
        line_c.write({"grade": "d", "offered_value": 0.0, "disposition": "recycle"})
        batch.action_graded()
        (line_a | line_c).action_agree()
        line_b.action_dispute("Skärmen var hel vid packning (foto finns).")
        self.assertEqual(batch.state, "disputed")
        self.assertEqual(line_b.agreement_state, "disputed")
        # The lessor lowers the damage charge after seeing the packing photo.
        line_b.write({"damage_charge": 150.0})
        line_b.action_agree()
        self.assertEqual(batch.state, "graded")
        with self.assertRaises(AccessError):
            batch.action_settle()
        batch.with_user(self.it_boss).action_settle()
        self.assertEqual(batch.state, "settled")
        self._assert_settled(batch)

    def _assert_settled(self, batch):
        """The settlement of the whole-chain crate: the residual values of
        RA-1 and RA-2 credited, RA-2's agreed damage billed, the devices out
        of the register and every step in the chain of custody."""
        # Credit note: 1,200 (RA-1) + 800 (RA-2) + 0 (RA-3, no line) = 2,000.
        refund = batch.refund_move_id
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.partner_id, self.lessor)
        self.assertEqual(refund.currency_id, self.company.currency_id)
        self.assertEqual(refund.ref, batch.name)
        self.assertEqual(refund.journal_id, self.purchase_journal)
        self.assertEqual(
            sorted(refund.invoice_line_ids.mapped("price_subtotal")), [800.0, 1200.0]
        )
        self.assertEqual(refund.amount_total, 2000.0)
        self.assertEqual(
            set(refund.invoice_line_ids.mapped("account_id")), {self.residual_account}
        )
        # Damage: only RA-2, at the agreed 150 (not the disputed 350).
        bill = batch.damage_move_id
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.amount_total, 150.0)
        self.assertEqual(bill.invoice_line_ids.account_id, self.damage_account)
        self.assertEqual(bill.ref, batch.name)
        self.assertEqual(batch.residual_total, 2000.0)
        self.assertEqual(batch.damage_total, 150.0)
        self.assertEqual(
            (self.dev_a | self.dev_b).mapped("lifecycle_state"),
            ["remarketed", "remarketed"],
        )
        self.assertEqual(self.dev_c.lifecycle_state, "disposed")
        self.assertEqual(
            batch.event_ids.sorted("sequence").mapped("event_type"),
            [
                "sealed",
                "collected",
                "received",
                "sanitized",
                "graded",
                "disputed",
                "agreed",
                "settled",
            ],
        )
        self.assertTrue(batch.chain_intact)

    def test_leased_device_without_return_decision_refused(self):
        undecided = self._leased_device("UN-1", 300.0, self.code_school)
        with self.assertRaisesRegex(ValidationError, "UN-1.*no return decision"):
            self._batch(devices=undecided)

    def test_owned_and_bought_out_devices_go_in(self):
        owned = self._create_device("OWN-1")
        bought = self._leased_device(
            "BUY-1", 300.0, schedule=self._create_schedule("BUY", date(2023, 3, 1))
        )
        # The lease addon's own step decides it: simulated here.
        bought.lease_line_id.sudo().write({"end_decision": "buy_out"})
        bought.is_owned = True
        batch = self._batch(devices=owned | bought)
        self.assertEqual(
            {line.serial_no: line.reason for line in batch.line_ids},
            {"OWN-1": "owned", "BUY-1": "buy_out"},
        )

    def test_device_in_one_open_batch_at_a_time(self):
        self._batch(devices=self.dev_a)
        with self.assertRaisesRegex(ValidationError, "RA-1.*already in open crate"):
            self._batch(devices=self.dev_a)

    def test_unknown_serial_named(self):
        batch = self._batch(devices=self.env["maintenance.equipment"])
        with self.assertRaisesRegex(UserError, "Not in the register: NOPE-9"):
            batch._add_serials("RA-1\nNOPE-9")
        self.assertFalse(batch.line_ids)

    def test_serials_match_whatever_case_and_spaces(self):
        batch = self._batch(devices=self.env["maintenance.equipment"])
        batch._add_serials("  ra-1 ;Ra-2,RA-1")
        self.assertEqual(batch.line_ids.equipment_id, self.dev_a | self.dev_b)

    def test_sealing_needs_seals_and_the_expected_count(self):
        batch = self._batch(seal_numbers=False)
        with self.assertRaisesRegex(UserError, "seal numbers"):
            batch.action_seal()
        batch.write({"seal_numbers": "S-1", "expected_count": 4})
        with self.assertRaisesRegex(UserError, "should hold 4 devices but has 3"):
            batch.action_seal()

    def test_sealed_crate_is_locked_to_every_caller(self):
        batch = self._batch()
        batch.action_seal()
        with self.assertRaisesRegex(UserError, "sealed: no device can be added"):
            self.env["it.disposal.batch.line"].create(
                {"batch_id": batch.id, "equipment_id": self._create_device("X-1").id}
            )
        with self.assertRaisesRegex(UserError, "cannot be removed"):
            batch.line_ids[0].unlink()
        with self.assertRaisesRegex(UserError, "cannot be changed or moved"):
            batch.line_ids[0].equipment_id = self._create_device("X-2")
        with self.assertRaisesRegex(UserError, "Seal Numbers"):
            batch.seal_numbers = "S-9"
        # Its state and receipt are written only by the crate's steps (with
        # sudo(), which no request can carry): not by a user, also not with
        # the old step key in a JSON-RPC context.
        for user_batch in (
            batch.with_user(self.it_boss),
            batch.with_user(self.it_boss).with_context(it_disposal_transition=True),
        ):
            with self.assertRaisesRegex(UserError, "change only through its"):
                user_batch.state = "settled"
            with self.assertRaisesRegex(UserError, "Seal Numbers"):
                user_batch.seal_numbers = "S-9"
            with self.assertRaisesRegex(UserError, "change only through the crate"):
                user_batch.line_ids[0].agreement_state = "agreed"
        self.assertEqual(batch.state, "sealed")
        self.assertEqual(batch.line_ids[0].agreement_state, "pending")
        with self.assertRaisesRegex(UserError, "chain of custody"):
            batch.unlink()

    def test_collection_needs_who_and_where(self):
        batch = self._batch()
        batch.action_seal()
        with self.assertRaisesRegex(UserError, "Handed Over By"):
            batch.action_collect()

    def test_sanitized_refused_while_devices_in_transit(self):
        batch = self._batch()
        batch.action_seal()
        self._collect(batch)
        batch._confirm_receipt("RA-1 RA-2", date(2026, 3, 10), "", "", "")
        self._certify_all(batch)
        with self.assertRaisesRegex(UserError, "receipt not yet confirmed for RA-3"):
            batch.action_sanitized()

    def test_settlement_waits_for_every_agreement_and_the_accounts(self):
        batch = self._batch(devices=self.dev_a)
        batch.action_seal()
        self._collect(batch)
        batch._confirm_receipt("RA-1", date(2026, 3, 10), "", "", "")
        self._certify_all(batch)
        batch.action_sanitized()
        batch.line_ids.write(
            {"grade": "a", "offered_value": 99.0, "disposition": "remarket"}
        )
        batch.action_graded()
        with self.assertRaisesRegex(UserError, "agree or settle the dispute of RA-1"):
            batch.action_settle()
        batch.line_ids.action_agree()
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            batch.line_ids.offered_value = 1.0
        self.company.it_disposal_residual_account_id = False
        with self.assertRaisesRegex(
            UserError, "residual value and damage charge accounts"
        ):
            batch.action_settle()
        self.assertEqual(self.dev_a.lifecycle_state, "returned")

    def test_dispute_needs_a_reason(self):
        batch = self._batch(devices=self.dev_a)
        batch.action_seal()
        self._collect(batch)
        batch._confirm_receipt("RA-1", date(2026, 3, 10), "", "", "")
        self._certify_all(batch)
        batch.action_sanitized()
        batch.line_ids.write({"grade": "c", "disposition": "recycle"})
        batch.action_graded()
        with self.assertRaisesRegex(UserError, "reason for the dispute"):
            batch.line_ids.action_dispute("  ")
        wizard = self.env["it.disposal.reason"].create(
            {
                "res_model": "it.disposal.batch.line",
                "res_ids": str(batch.line_ids.ids),
                "action": "dispute",
                "reason": "Grad C men datorn är som ny",
            }
        )
        wizard.action_confirm()
        self.assertEqual(batch.state, "disputed")
        self.assertEqual(batch.line_ids.dispute_reason, "Grad C men datorn är som ny")
        activity = batch.activity_ids.filtered(
            lambda act: (
                act.activity_type_id
                == self.env.ref(
                    "municipal_it_disposal.mail_activity_type_disposal_dispute"
                )
            )
        )
        self.assertEqual(len(activity), 1)
