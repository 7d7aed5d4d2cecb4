# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, config
from odoo.tools.safe_eval import safe_eval, time

from odoo.addons.municipal_it_lease.tests.common_lang import LangMixin

from ..models.it_custody_event import HASHED_FIELDS, HMAC_SECRET_OPTION
from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestCustodyAnchor(DisposalCommon):
    """Issue 25, item 5: a rewrite of the custody log that recomputes every
    SHA-256 is detected against the anchors the recipient holds (and the
    HMAC, with a secret outside the database)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch = cls._batch()
        cls.batch.action_seal()
        cls._collect(cls.batch)
        cls.batch._confirm_receipt(
            "RA-1 RA-2 RA-3", date(2026, 3, 10), cls.batch.seal_numbers, "Lisa", "Kista"
        )

    def _rewrite(self, sequence, **values):
        """What a database user can do: change an event, then recompute its
        SHA-256 and every later one's with the same rule, by SQL."""
        events = self.batch.event_ids.sorted("sequence")
        for column, value in values.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE it_custody_event SET %s = %s WHERE id = %s",
                    SQL.identifier(column),
                    value,
                    events.filtered(lambda e: e.sequence == sequence).id,
                )
            )
        self.env.invalidate_all()
        previous = False
        for event in self.batch.event_ids.sorted("sequence"):
            self.env.cr.execute(
                "UPDATE it_custody_event SET previous_hash = %s, hash = %s WHERE id = %s",
                [previous or None, event._compute_hash(previous), event.id],
            )
            self.env.invalidate_all()
            previous = event.hash
        self.assertIn("device_count", HASHED_FIELDS)

    def test_anchor_is_the_head_as_given_to_the_recipient(self):
        head = self.batch.event_ids.sorted("sequence")[-1]
        self.assertEqual(head.sequence, 3)
        self.assertEqual(
            self.batch.with_user(self.it_user)._get_custody_anchor(),
            f"#3 {head.hash}",
        )

    def test_rewrite_with_recomputed_hashes_is_detected_by_the_lessors_anchors(self):
        # The recipient's copy: what the mails and the custody document gave.
        lessor_copy = "\n".join(
            event.anchor for event in self.batch.event_ids.sorted("sequence")
        )
        self.assertTrue(self.batch._verify_custody(lessor_copy)["intact"])
        # Two devices instead of three at collection, hashes recomputed.
        self._rewrite(2, device_count=2)
        self.assertTrue(self.batch.chain_intact, "the rewrite fools the chain")
        result = self.batch.with_user(self.it_user)._verify_custody(lessor_copy)
        self.assertFalse(result["intact"])
        self.assertEqual(result["first_sequence"], 2)
        self.assertIn("event #2 differs from the anchor", result["problems"][0])
        # The bare hashes, as copied from the PDF's column, tell the same.
        bare = [event_anchor.split()[1] for event_anchor in lessor_copy.splitlines()]
        self.assertEqual(self.batch._verify_custody(bare)["first_sequence"], 2)
        # The same check from the crate, as an IT user.
        action = self.batch.with_user(self.it_user).action_open_verify_custody()
        wizard = (
            self.env["it.custody.verify"]
            .with_user(self.it_user)
            .with_context(**action["context"])
            .create({"anchors": lessor_copy})
        )
        wizard.action_verify()
        self.assertIn("disagrees from event #2", wizard.result)

    def test_anchors_given_out_are_recorded_append_only(self):
        action = self.batch.with_user(self.it_user).action_print_custody()
        self.assertEqual(
            action["report_name"], "municipal_it_disposal.report_custody_document"
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.it_user)
            ._render_qweb_html(
                "municipal_it_disposal.report_custody_document", self.batch.ids
            )[0]
            .decode()
        )
        head = self.batch.event_ids.sorted("sequence")[-1]
        self.assertIn(head.hash, html)
        anchor = self.batch.anchor_ids.filtered(lambda a: a.channel == "pdf")
        self.assertEqual((anchor.sequence, anchor.hash), (3, head.hash))
        with self.assertRaises(UserError):
            anchor.with_user(self.it_boss).write({"hash": "0" * 64})
        with self.assertRaises(UserError):
            anchor.unlink()
        # Only the app's own step (sudo()) records one: no user, not even
        # an IT manager, whatever the context says.
        for Anchor in (
            self.env["it.custody.anchor"].with_user(self.it_user),
            self.env["it.custody.anchor"]
            .with_user(self.it_boss)
            .with_context(it_disposal_transition=True),
        ):
            with self.assertRaisesRegex(UserError, "only when the app gives them"):
                Anchor.create(
                    {
                        "batch_id": self.batch.id,
                        "sequence": 3,
                        "hash": "0" * 64,
                        "channel": "pdf",
                    }
                )
        self.assertTrue(self.batch._verify_custody()["intact"])
        # Every anchor given out (the collection mail's #2 with the portal
        # addon, the print's #3) follows event 1: the first one disagrees.
        self._rewrite(1, location="Någon annanstans")
        result = self.batch._verify_custody()
        self.assertFalse(result["intact"])
        self.assertEqual(
            result["first_sequence"], min(self.batch.anchor_ids.mapped("sequence"))
        )

    def test_hmac_with_a_secret_outside_the_database(self):
        with patch.dict(config.options, {HMAC_SECRET_OPTION: "hemlig-nyckel"}):
            owned = self._create_device("OWN-HMAC")
            batch = self._batch(devices=owned, crate_number="HMAC-1")
            batch.action_seal()
            event = batch.event_ids
            self.assertEqual(len(event.hmac), 64)
            self.assertFalse(event._check_chain())
            # A rewrite recomputing the SHA-256 cannot recompute the HMAC.
            self.env.cr.execute(
                "UPDATE it_custody_event SET device_count = 5 WHERE id = %s", [event.id]
            )
            self.env.invalidate_all()
            digest = event._compute_hash(False)
            self.env.cr.execute(
                "UPDATE it_custody_event SET hash = %s WHERE id = %s",
                [digest, event.id],
            )
            self.env.invalidate_all()
            self.assertEqual(event._check_chain(), event)
            self.assertFalse(batch._verify_custody()["intact"])


@tagged("post_install", "-at_install")
class TestCustodyDocument(LangMixin, DisposalCommon):
    """Issue 24, item 5: the custody document's times in the user's time
    zone and its file name in the user's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_langs(["municipal_it_lease", "municipal_it_disposal"])
        cls.sv_user = cls._user_in(
            "sv_SE", "it_sv", "municipal_it_lease.municipal_it_lease_group_user"
        )
        cls.sv_user.tz = "Europe/Stockholm"
        cls.batch = cls._batch()
        cls.batch.action_seal()
        cls.batch.write(
            {
                "handed_over_by_id": cls.env.uid,
                "collected_by": "Kalle",
                "collection_location": "Stadshuset",
                "collected_at": datetime(2026, 3, 2, 9, 5),
            }
        )
        cls.batch.action_collect()
        cls.batch._confirm_receipt(
            "RA-1 RA-2 RA-3", date(2026, 3, 10), cls.batch.seal_numbers, "Lisa", "Kista"
        )

    def test_times_in_the_users_time_zone(self):
        # Collected 09:05 UTC = 10:05 in Stockholm (CET, UTC+1 in March),
        # whatever time zone the rendering context carries.
        html = (
            self.env["ir.actions.report"]
            .with_user(self.sv_user)
            .with_context(tz="UTC")
            ._render_qweb_html(
                "municipal_it_disposal.report_custody_document", self.batch.ids
            )[0]
            .decode()
        )
        self.assertIn("10:05", html)
        self.assertNotIn("09:05", html)
        self.assertIn("Europe/Stockholm", html)

    def test_file_name_in_the_users_language(self):
        report = self.env.ref("municipal_it_disposal.it_disposal_batch_report_custody")
        name = safe_eval(
            report.print_report_name,
            {
                "object": self.batch.with_user(self.sv_user).with_context(lang="sv_SE"),
                "time": time,
            },
        )
        self.assertTrue(name.endswith("- Mottagen"), name)
        self.assertNotIn("received", name)
