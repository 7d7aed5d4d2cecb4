# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestCustody(DisposalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch = cls._batch()
        cls.batch.action_seal()
        cls._collect(cls.batch)

    def test_events_record_who_when_where_count_and_seals(self):
        sealed, collected = self.batch.event_ids.sorted("sequence")
        self.assertEqual((sealed.sequence, collected.sequence), (1, 2))
        self.assertEqual(sealed.event_type, "sealed")
        self.assertEqual(sealed.device_count, 3)
        self.assertEqual(sealed.seal_numbers, "S-1001, S-1002")
        self.assertEqual(sealed.user_id, self.env.user)
        self.assertEqual(collected.location, "Stadshuset, lastkaj")
        self.assertIn("Kalle Chaufför", collected.note)
        self.assertEqual(collected.serials, "RA-1, RA-2, RA-3")
        self.assertEqual(collected.previous_hash, sealed.hash)
        self.assertEqual(len(collected.hash), 64)

    def test_events_are_immutable(self):
        event = self.batch.event_ids[:1]
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            event.write({"location": "Någon annanstans"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            event.unlink()

    def test_tampering_breaks_the_chain(self):
        self.assertTrue(self.batch.chain_intact)
        sealed = self.batch.event_ids.sorted("sequence")[0]
        # What a database user could do behind the application's back.
        self.env.cr.execute(
            "UPDATE it_custody_event SET device_count = 2 WHERE id = %s", [sealed.id]
        )
        self.env.invalidate_all()
        self.assertEqual(self.batch.event_ids._check_chain(), sealed)
        self.assertFalse(self.batch.chain_intact)

    def test_seal_mismatch_is_an_incident(self):
        self.batch._confirm_receipt(
            "RA-1 RA-2 RA-3", date(2026, 3, 10), "S-1001, S-7777", "Lisa", "Kista"
        )
        self.assertTrue(self.batch.has_incident)
        incident = self.batch.event_ids.filtered(lambda e: e.event_type == "incident")
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.seal_numbers, "S-1001, S-7777")
        self.assertIn("S-7777", incident.note)
        activity_type = self.env.ref(
            "municipal_it_disposal.mail_activity_type_custody_incident"
        )
        self.assertEqual(
            len(
                self.batch.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                )
            ),
            1,
        )

    def test_same_seals_in_other_order_and_case_are_no_incident(self):
        self.batch._confirm_receipt(
            "RA-1 RA-2 RA-3", date(2026, 3, 10), "s-1002;S-1001", "Lisa", "Kista"
        )
        self.assertFalse(self.batch.has_incident)
        self.assertEqual(self.batch.receipt_seal_numbers, "s-1002;S-1001")

    def test_partial_receipt_leaves_devices_in_transit(self):
        self.batch._confirm_receipt("RA-1", date(2026, 3, 10), "", "Lisa", "Kista")
        self.assertEqual(self.batch.state, "received")
        self.assertEqual(self.batch.received_count, 1)
        self.assertEqual(self.batch.in_transit_count, 2)
        self.assertEqual(
            self.devices.filtered("disposal_in_transit"), self.dev_b | self.dev_c
        )
        transit = self.batch.line_ids.filtered("in_transit")
        self.assertEqual(transit.mapped("serial_no"), ["RA-2", "RA-3"])
        # Confirming RA-1 again changes nothing and records no second receipt.
        self.batch._confirm_receipt("RA-1 RA-2", date(2026, 3, 12), "", "Lisa", "Kista")
        received = self.batch.event_ids.filtered(lambda e: e.event_type == "received")
        self.assertEqual(received.mapped("device_count"), [1, 1])
        self.assertEqual(self.dev_a.lease_line_id.date_returned, date(2026, 3, 10))
        self.assertEqual(self.dev_b.lease_line_id.date_returned, date(2026, 3, 12))

    def test_receipt_of_a_serial_not_in_the_crate_refused(self):
        with self.assertRaisesRegex(UserError, "Not in crate .*: ZZ-1"):
            self.batch._confirm_receipt("RA-1 ZZ-1", date(2026, 3, 10), "", "", "")
        self.assertEqual(self.batch.received_count, 0)

    def test_receipt_wizard(self):
        wizard = self.env["it.disposal.receipt"].create(
            {"batch_id": self.batch.id, "receipt_date": date(2026, 3, 9)}
        )
        wizard._onchange_batch_id()
        self.assertEqual(wizard.serials.split(), ["RA-1", "RA-2", "RA-3"])
        wizard.seals_seen = "S-1001 S-1002"
        wizard.action_confirm()
        self.assertEqual(self.batch.received_count, 3)

    def test_custody_document_lists_devices_media_seals_and_signatures(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "municipal_it_disposal.report_custody_document", self.batch.ids
            )[0]
            .decode()
        )
        for text in (
            "RA-1",
            "SSD-A1",
            "S-1001, S-1002",
            "Kalle Chaufför",
            "Received by",
        ):
            self.assertIn(text, html)
