# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.common_lang import LangMixin

from .common import DisposalCommon

MANAGER = "municipal_it_lease.municipal_it_lease_group_manager"


@tagged("post_install", "-at_install")
class TestMailLanguage(LangMixin, DisposalCommon):
    """Receipt escalations, custody incidents and disputes reach each crate's
    responsible in their language, whoever triggered them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_langs(["municipal_it_lease", "municipal_it_disposal"])
        cls.en_user = cls._user_in("en_US", "resp_en", MANAGER)
        cls.sv_user = cls._user_in("sv_SE", "resp_sv", MANAGER)
        cls.de_runner = cls._user_in("de_DE", "runner_de", MANAGER)
        cls.en_crate = cls._batch(
            cls.dev_a, crate_number="EN-1", user_id=cls.en_user.id
        )
        cls.sv_crate = cls._batch(
            cls.dev_b, crate_number="SV-1", user_id=cls.sv_user.id
        )
        for crate in cls.en_crate | cls.sv_crate:
            crate.action_seal()
            # Picked up 2 March 2026: receipt due by 12 March.
            cls._collect(crate, pickup=date(2026, 3, 2))
        cls.Batch = cls.env["it.disposal.batch"].with_user(cls.de_runner)

    def _activities(self, crate, xmlid):
        activity_type = self.env.ref(xmlid)
        return crate.activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        )

    def test_receipt_escalation_in_each_responsibles_language(self):
        with freeze_time("2026-03-13"):
            self.Batch.with_context(lang="de_DE")._cron_escalate_overdue_receipts()
        xmlid = "municipal_it_disposal.mail_activity_type_receipt_overdue"
        english = self._activities(self.en_crate, xmlid)
        swedish = self._activities(self.sv_crate, xmlid)
        self.assertEqual(english.user_id, self.en_user)
        self.assertEqual(swedish.user_id, self.sv_user)
        self.assertEqual(
            english.summary, f"Crate {self.en_crate.name}: receipt not confirmed"
        )
        self.assertEqual(
            swedish.summary, f"Låda {self.sv_crate.name}: mottagandet inte bekräftat"
        )
        self.assertIn(
            "was picked up on 03/02/2026; the deadline 03/12/2026 has passed",
            str(english.note),
        )
        self.assertIn("RA-1", str(english.note))
        self.assertIn(
            "hämtades 2026-03-02; fristen 2026-03-12 har passerat", str(swedish.note)
        )
        self.assertIn("RA-2", str(swedish.note))

    def test_seal_incident_logged_in_actors_language_activity_in_responsibles(self):
        crate = self.sv_crate.with_user(self.de_runner).with_context(lang="de_DE")
        crate._confirm_receipt("RA-2", date(2026, 3, 10), "S-9999", "Lisa", "Kista")
        incident = self.sv_crate.event_ids.filtered(
            lambda event: event.event_type == "incident"
        )
        # German has no terms loaded: the runner's log is in the source text.
        self.assertIn("Seal mismatch on crate", incident.note)
        activity = self._activities(
            self.sv_crate, "municipal_it_disposal.mail_activity_type_custody_incident"
        )
        self.assertEqual(activity.user_id, self.sv_user)
        self.assertIn("Plomberna stämmer inte på låda", str(activity.note))
        self.assertIn("S-9999", str(activity.note))
