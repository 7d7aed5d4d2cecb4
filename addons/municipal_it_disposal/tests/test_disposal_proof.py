# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestDisposalProof(DisposalCommon):
    """Issue 25, item 8: a device leaves the register only with proof, and
    the proof cannot be removed or made easier, as an IT user over the ORM
    (what JSON-RPC reaches)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An owned phone with no storage medium registered.
        cls.phone = cls._create_device("PH-1")

    def test_device_without_media_is_not_disposed_without_proof(self):
        phone = self.phone.with_user(self.it_user)
        self.assertFalse(phone.storage_medium_ids)
        for outcome in ("disposed", "remarketed"):
            with self.assertRaisesRegex(
                ValidationError, "no storage medium registered"
            ):
                phone.write({"lifecycle_state": outcome})
        self.assertNotIn(self.phone.lifecycle_state, ("disposed", "remarketed"))

    def test_no_storage_attestation_by_an_it_manager_with_a_reason(self):
        phone = self.phone.with_user(self.it_user)
        with self.assertRaises(AccessError):
            phone.action_attest_no_storage("Ingen lagring")
        boss_phone = self.phone.with_user(self.it_boss)
        with self.assertRaisesRegex(UserError, "Give the reason"):
            boss_phone.action_attest_no_storage("  ")
        # Nor set directly by anyone.
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            boss_phone.write({"no_storage_attested": True})
        boss_phone.action_attest_no_storage("Enkel knapptelefon, inget minne")
        self.assertTrue(self.phone.no_storage_attested)
        self.assertEqual(self.phone.no_storage_attested_by_id, self.it_boss)
        self.assertTrue(self.phone.no_storage_attested_on)
        self.assertEqual(
            self.phone.no_storage_reason, "Enkel knapptelefon, inget minne"
        )
        self.assertIn(
            "Enkel knapptelefon, inget minne", self.phone.message_ids[:1].body
        )
        phone.write({"lifecycle_state": "disposed"})
        self.assertEqual(self.phone.lifecycle_state, "disposed")

    def test_certificate_of_the_device_itself_releases_it(self):
        """A report naming the phone's own storage registers it with its
        certificate: the phone is then released by that certificate."""
        self._import(self._csv([self._csv_row("PH-1", "PH-1-FLASH")]), "ph.csv")
        phone = self.phone.with_user(self.it_user)
        self.assertEqual(phone.storage_medium_ids.serial_no, "PH-1-FLASH")
        phone.write({"lifecycle_state": "disposed"})
        self.assertEqual(self.phone.lifecycle_state, "disposed")

    def _sealed(self, device):
        batch = self._batch(devices=device)
        batch.action_seal()
        return batch

    def test_media_of_a_device_in_a_crate_are_neither_deleted_nor_moved(self):
        self._batch(devices=self.dev_a)
        medium = self.dev_a.storage_medium_ids.with_user(self.it_user)
        with self.assertRaisesRegex(UserError, "in a return crate"):
            medium.unlink()
        with self.assertRaisesRegex(UserError, "in a return crate"):
            medium.write({"equipment_id": self.phone.id})
        # Nor deleted from the device's form.
        with self.assertRaisesRegex(UserError, "in a return crate"):
            self.dev_a.with_user(self.it_user).write(
                {"storage_medium_ids": [Command.unlink(medium.id)]}
            )
        self.assertTrue(medium.exists())
        self.assertEqual(medium.equipment_id, self.dev_a)
        # A device in no crate keeps its media editable.
        self.dev_c.storage_medium_ids.with_user(self.it_user).unlink()
        self.assertFalse(self.dev_c.storage_medium_ids)

    def test_classification_and_level_lowered_only_by_it_manager_with_reason(self):
        self.dev_c.is_classified = True
        device = self.dev_c.with_user(self.it_user)
        # Raising is anyone's; lowering is refused to every direct write.
        device.write({"wipe_level_required": "destroy"})
        for vals in ({"is_classified": False}, {"wipe_level_required": "clear"}):
            for user in (self.it_user, self.it_boss):
                with self.assertRaisesRegex(UserError, "only be lowered"):
                    self.dev_c.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            device.action_lower_wipe_requirement("Fel", False, "clear")
        boss = self.dev_c.with_user(self.it_boss)
        with self.assertRaisesRegex(UserError, "Give the reason"):
            boss.action_lower_wipe_requirement("", False, "clear")
        boss.action_lower_wipe_requirement(
            "Felklassad: skolans elevdator", False, "purge"
        )
        self.assertFalse(self.dev_c.is_classified)
        self.assertEqual(self.dev_c.wipe_level_required, "purge")
        self.assertIn("Felklassad: skolans elevdator", self.dev_c.message_ids[:1].body)

    def test_nothing_lowered_once_in_a_crate(self):
        self.dev_a.is_classified = True
        self._sealed(self.dev_a)
        boss = self.dev_a.with_user(self.it_boss)
        with self.assertRaisesRegex(UserError, "is in a return crate"):
            boss.action_lower_wipe_requirement("Fel", False, "clear")
        with self.assertRaisesRegex(UserError, "only be lowered"):
            boss.write({"is_classified": False})
        self.assertTrue(self.dev_a.is_classified)

    def test_wizard_lowers_through_the_same_rule(self):
        self.dev_c.is_classified = True
        wizard = (
            self.env["it.disposal.reason"]
            .with_user(self.it_boss)
            .create(
                {
                    "res_model": "maintenance.equipment",
                    "res_ids": str(self.dev_c.ids),
                    "action": "lower_requirement",
                    "reason": "Omklassad av säkerhetsskyddschefen",
                    "is_classified": False,
                    "wipe_level": "purge",
                }
            )
        )
        wizard.action_confirm()
        self.assertFalse(self.dev_c.is_classified)


@tagged("post_install", "-at_install")
class TestSettlementMovesImmutable(DisposalCommon):
    """Issue 25, item 9: the settlement credit note and damage bill are
    corrected by a reversal only, by billing and accounting admins too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            login="acc_admin",
            groups="account.group_account_manager,"
            "municipal_it_lease.municipal_it_lease_group_manager",
        )
        cls.billing = new_test_user(
            cls.env,
            login="billing_admin",
            groups="account.group_account_invoice",
        )

    def setUp(self):
        super().setUp()
        batch = self._batch(devices=self.dev_a | self.dev_c)
        batch.action_seal()
        self._collect(batch)
        batch._confirm_receipt(
            "RA-1 RA-3", date(2026, 3, 10), batch.seal_numbers, "Lisa", "Kista"
        )
        self._certify_all(batch)
        batch.action_sanitized()
        line_a, line_c = batch.line_ids.sorted("serial_no")
        line_a.write({"grade": "a", "offered_value": 1500.0, "disposition": "remarket"})
        line_c.write({"grade": "d", "damage_charge": 250.0, "disposition": "recycle"})
        batch.action_graded()
        batch.line_ids.action_agree()
        batch.with_user(self.it_boss).action_settle()
        self.batch = batch
        self.refund = batch.refund_move_id
        self.bill = batch.damage_move_id

    def test_posted_settlement_moves_cannot_be_changed(self):
        self.assertEqual(self.refund.amount_total, 1500.0)
        self.assertEqual(self.bill.amount_total, 250.0)
        for user in (self.accountant, self.billing):
            for move in (self.refund, self.bill):
                move = move.with_user(user)
                self.assertFalse(move.show_reset_to_draft_button)
                with self.assertRaisesRegex(UserError, "settles return crate"):
                    move.button_draft()
                with self.assertRaisesRegex(UserError, "settles return crate"):
                    move.button_cancel()
                line = move.invoice_line_ids[:1]
                with self.assertRaisesRegex(UserError, "settles return crate"):
                    line.write({"price_unit": 6500.0})
                with self.assertRaisesRegex(UserError, "settles return crate"):
                    move.write(
                        {
                            "invoice_line_ids": [
                                Command.update(line.id, {"price_unit": 11500.0})
                            ]
                        }
                    )
                with self.assertRaisesRegex(UserError, "settles return crate"):
                    move.write({"partner_id": self.env.user.partner_id.id})
                with self.assertRaisesRegex(UserError, "settles return crate"):
                    move.unlink()
        self.assertEqual(
            (self.refund.state, self.refund.amount_total), ("posted", 1500.0)
        )
        self.assertEqual((self.bill.state, self.bill.amount_total), ("posted", 250.0))

    def test_corrected_by_a_reversal(self):
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=self.refund.ids)
            .create({"journal_id": self.refund.journal_id.id, "reason": "Fel värde"})
        )
        wizard.refund_moves()
        reversal = self.refund.reversal_move_ids
        self.assertEqual(reversal.move_type, "in_invoice")
        self.assertEqual(reversal.amount_total, 1500.0)
        reversal.with_user(self.accountant).action_post()
        self.assertEqual(reversal.state, "posted")
        # Posted, the reversal is as fixed as what it reverses.
        with self.assertRaisesRegex(UserError, "settles return crate"):
            reversal.with_user(self.accountant).button_draft()

    def test_no_move_made_to_look_like_a_settlement(self):
        with self.assertRaisesRegex(UserError, "Only settling a return crate"):
            self.env["account.move"].with_user(self.accountant).create(
                {"move_type": "entry", "it_disposal_batch_id": self.batch.id}
            )
