# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_charge import ItChargeCommon
from .common_lang import LangMixin

MANAGER = "municipal_it_lease.municipal_it_lease_group_manager"


@tagged("post_install", "-at_install")
class TestMailLanguage(LangMixin, ItChargeCommon):
    """The lease-end digest and warning activities reach each IT leasing
    manager in their language, with dates in their format."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_langs(["municipal_it_lease"])
        cls.company.it_lease_warning_days = "120"
        cls.company.name = "Väsby kommun"
        cls.en_manager = cls._user_in(
            "en_US", "mgr_en", MANAGER, email="en@kommun.example"
        )
        cls.sv_manager = cls._user_in(
            "sv_SE", "mgr_sv", MANAGER, email="sv@kommun.example"
        )
        # Runs the job; a manager too, so has a digest of their own.
        cls.de_runner = cls._user_in(
            "de_DE", "runner_de", MANAGER, email="de@kommun.example"
        )
        # Start 1 July 2024, 36 months: ends 30 June 2027; 90 days' notice:
        # notice deadline 1 April 2027; warned 120 days before, 2 Dec 2026.
        cls.en_annex, cls.sv_annex = (
            cls._create_schedule(
                name,
                date(2024, 7, 1),
                36,
                notice_period_days=90,
                user_id=user.id,
            )
            for name, user in (("LANG-EN", cls.en_manager), ("LANG-SV", cls.sv_manager))
        )
        cls._leased_device("LG-1", 300.0, cls.code_school, cls.en_annex)
        cls._leased_device("LG-2", 300.0, cls.code_school, cls.sv_annex)
        (cls.en_annex | cls.sv_annex).action_activate()
        cls.template = cls.env.ref("municipal_it_lease.mail_template_lease_end_digest")

    def _warn(self):
        with freeze_time("2026-12-02"):
            return (
                self.env["it.lease.schedule"]
                .with_user(self.de_runner)
                .with_context(lang="de_DE")
                ._cron_lease_end_warnings()
            )

    def _digest(self, user):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", user.partner_id.ids)]
        )

    def test_template_is_the_digest(self):
        self.assertEqual(self.template.model, "res.users")
        self.assertEqual(self.template.lang, "{{ object.partner_id.lang }}")

    def test_digest_in_each_managers_language_and_date_format(self):
        self._warn()
        english, swedish = self._digest(self.en_manager), self._digest(self.sv_manager)
        self.assertEqual(len(english), 1)
        self.assertEqual(len(swedish), 1)
        # German has no terms loaded, but its date format is its own.
        german = self._digest(self.de_runner)
        self.assertIn("These lease schedules of", german.body_html)
        self.assertIn("01.04.2027", german.body_html)
        self.assertEqual(
            english.subject, "Lease end: schedules to decide (Väsby kommun)"
        )
        self.assertEqual(
            swedish.subject, "Leasingslut: bilagor att besluta om (Väsby kommun)"
        )
        self.assertIn("These lease schedules of Väsby kommun", english.body_html)
        self.assertIn("Dessa leasingbilagor hos Väsby kommun", swedish.body_html)
        self.assertIn("Sista dag för uppsägning", swedish.body_html)
        for digest in english | swedish:
            self.assertIn("LANG-EN", digest.body_html)
            self.assertIn("LANG-SV", digest.body_html)
            self.assertNotIn("01.04.2027", digest.body_html)
        # Notice deadline 1 April 2027, end 30 June 2027.
        self.assertIn("04/01/2027", english.body_html)
        self.assertIn("06/30/2027", english.body_html)
        self.assertNotIn("2027-04-01", english.body_html)
        self.assertIn("2027-04-01", swedish.body_html)
        self.assertIn("2027-06-30", swedish.body_html)
        self.assertNotIn("04/01/2027", swedish.body_html)

    def test_activities_in_each_responsibles_language(self):
        self._warn()
        english = self.en_annex.activity_ids
        swedish = self.sv_annex.activity_ids
        self.assertEqual(english.user_id, self.en_manager)
        self.assertEqual(swedish.user_id, self.sv_manager)
        # 2 December 2026 to 1 April 2027: 29 + 31 + 28 + 31 + 1 = 120 days.
        self.assertEqual(
            english.summary, "Lease end: decide by 04/01/2027 (in 120 days)"
        )
        self.assertEqual(
            swedish.summary, "Leasingslut: besluta senast 2027-04-01 (om 120 dagar)"
        )
        self.assertIn("give notice to Test Lessor AB by 04/01/2027", str(english.note))
        self.assertIn("06/30/2027", str(english.note))
        self.assertIn("meddela Test Lessor AB senast 2027-04-01", str(swedish.note))
        self.assertIn("2027-06-30", str(swedish.note))

    def test_administrators_edit_of_the_template_is_sent(self):
        self._edit_template(
            self.template,
            '<p>Beslut: <t t-foreach="ctx.get(\'it_lease_schedules\')" t-as="s">'
            '<t t-out="s.name"/>=<t t-out="format_date(s.notice_date)"/> '
            "</t></p>",
        )
        self._warn()
        self.assertIn(
            "Beslut: LANG-EN=04/01/2027 LANG-SV=04/01/2027",
            self._digest(self.en_manager).body_html,
        )
        self.assertIn(
            "Beslut: LANG-EN=2027-04-01 LANG-SV=2027-04-01",
            self._digest(self.sv_manager).body_html,
        )
        self.assertNotIn(
            "These lease schedules", self._digest(self.en_manager).body_html
        )

    def test_charge_failure_activity_in_charging_users_language(self):
        self.company.it_charge_user_id = self.sv_manager
        run = self.Run.create({"date_from": date(2026, 3, 1)})
        run.with_context(lang="de_DE")._report_cron_failure(
            UserError("Kontoplanen är låst"), date(2026, 4, 25)
        )
        activity = run.activity_ids
        self.assertEqual(activity.user_id, self.sv_manager)
        self.assertEqual(
            activity.summary, "Månatlig internfakturering av IT inte bokförd"
        )
        self.assertIn("Kontoplanen är låst", str(activity.note))
