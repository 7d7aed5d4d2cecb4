# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.municipal_it_lease.tests.common_lang import LangMixin

from .common import CratePortalCommon

MODULES = [
    "municipal_it_lease",
    "municipal_it_disposal",
    "municipal_it_portal",
    "municipal_it_portal_disposal",
]


@tagged("post_install", "-at_install")
class TestMailLanguage(LangMixin, CratePortalCommon):
    """Crate notices reach each of the lessor's contacts in their language,
    with dates in their format; the responsible's activities are in theirs.
    Pickup 2 March 2026, receipt deadline 10 days on: 12 March 2026."""

    @classmethod
    def _collect(cls, batch, pickup=date(2026, 3, 2)):
        # Both contacts exist before the crate is collected, by a user who
        # reads German.
        cls._setup_langs(MODULES)
        cls.portal.lang = "en_US"
        cls.portal_sv = cls._portal_user("crate_lessor_sv", "Sven Svensson", cls.lessor)
        cls.portal_sv.lang = "sv_SE"
        cls.it_boss.lang = "sv_SE"
        cls.de_runner = new_test_user(
            cls.env,
            login="crate_runner_de",
            groups="municipal_it_lease.municipal_it_lease_group_manager",
        )
        cls.de_runner.lang = "de_DE"
        batch.write(
            {
                "handed_over_by_id": cls.it_boss.id,
                "collected_by": "Kalle Chaufför",
                "collection_location": "Stadshuset, lastkaj",
                "pickup_date": pickup,
            }
        )
        batch.with_user(cls.de_runner).with_context(lang="de_DE").action_collect()

    def _mail(self, user, subject):
        """The one mail to ``user`` on the crate with ``subject``."""
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "it.disposal.batch"),
                ("res_id", "=", self.batch.id),
                ("recipient_ids", "in", user.partner_id.ids),
                ("subject", "=", subject),
            ]
        )
        self.assertEqual(len(mail), 1, subject)
        self.assertEqual(mail.recipient_ids, user.partner_id)
        return mail

    def _remind(self):
        with freeze_time("2026-03-09"):
            self.env["it.disposal.batch"].with_user(self.de_runner).with_context(
                lang="de_DE"
            )._cron_it_portal_receipt_reminders()

    def test_collected_in_each_contacts_language(self):
        name = self.batch.name
        english = self._mail(self.portal, f"Crate {name} collected")
        swedish = self._mail(self.portal_sv, f"Låda {name} hämtad")
        self.assertIn("Confirm its receipt serial by serial by", english.body_html)
        self.assertIn(
            "Bekräfta mottagandet serienummer för serienummer senast",
            swedish.body_html,
        )
        self.assertIn("03/02/2026", english.body_html)
        self.assertIn("03/12/2026", english.body_html)
        self.assertIn("2026-03-02", swedish.body_html)
        self.assertIn("2026-03-12", swedish.body_html)
        for mail in english | swedish:
            self.assertNotIn("02.03.2026", mail.body_html)

    def test_receipt_reminder_in_each_contacts_language(self):
        self._remind()
        name = self.batch.name
        english = self._mail(
            self.portal, f"Receipt deadline of crate {name}: 03/12/2026"
        )
        swedish = self._mail(
            self.portal_sv, f"Mottagningsfrist för låda {name}: 2026-03-12"
        )
        self.assertIn(
            "Receipt of these serials is not confirmed yet", english.body_html
        )
        self.assertIn("Mottagandet av dessa serienummer", swedish.body_html)
        for mail in english | swedish:
            self.assertIn("RA-1, RA-2, RA-3", mail.body_html)

    def test_administrators_edit_of_the_template_is_sent(self):
        xmlid = "municipal_it_portal_disposal.mail_template_crate_receipt_reminder"
        self._edit_template(
            self.env.ref(xmlid),
            '<p>Frist <t t-out="format_date(object.receipt_deadline)"/>: '
            "<t t-out=\"ctx.get('it_portal_pending_serials')\"/></p>",
        )
        self._remind()
        name = self.batch.name
        english = self._mail(
            self.portal, f"Receipt deadline of crate {name}: 03/12/2026"
        )
        swedish = self._mail(
            self.portal_sv, f"Mottagningsfrist för låda {name}: 2026-03-12"
        )
        self.assertIn("Frist 03/12/2026: RA-1, RA-2, RA-3", english.body_html)
        self.assertIn("Frist 2026-03-12: RA-1, RA-2, RA-3", swedish.body_html)
        self.assertNotIn("Receipt of these serials", english.body_html)

    def test_dispute_in_each_contacts_language(self):
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1 RA-2 RA-3", "S-1001, S-1002"
        )
        self.batch.sudo().write({"state": "graded"})
        line = self.batch.line_ids.filtered(lambda line: line.serial_no == "RA-2")
        line.sudo().write({"grade": "c", "offered_value": 100.0})
        line.with_user(self.de_runner).with_context(lang="de_DE").action_dispute(
            "Skärmen är hel enligt foto."
        )
        english = self._mail(self.portal, f"Dispute on crate {self.batch.name}")
        swedish = self._mail(self.portal_sv, f"Tvist om låda {self.batch.name}")
        company = self.company.name
        self.assertIn(f"{company} disputes the grade or", english.body_html)
        self.assertIn(f"{company} bestrider graderingen eller", swedish.body_html)
        for mail in english | swedish:
            self.assertIn("RA-2", mail.body_html)
            self.assertIn("Skärmen är hel enligt foto.", mail.body_html)

    def test_receipt_logged_in_lessors_language_activity_in_responsibles(self):
        self.batch.with_user(self.portal).with_context(
            lang="en_US"
        )._it_portal_confirm_receipt("RA-1 RA-2 RA-3", "S-1001, S-1002")
        message = self.batch.message_ids.filtered(
            lambda m: m.author_id == self.portal.partner_id
        )
        self.assertIn(
            "Petra Portal confirmed receipt of 3 devices (RA-1, RA-2, RA-3)",
            message.body,
        )
        activity = self.batch.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("municipal_it_portal.mail_activity_type_lessor_portal")
            )
        )
        self.assertEqual(activity.user_id, self.it_boss)
        self.assertEqual(
            activity.summary, "Leasegivaren bekräftade mottagande av en låda"
        )
        self.assertIn(
            "Petra Portal bekräftade mottagande av 3 enheter (RA-1, RA-2, RA-3), "
            "sedda plomber: S-1001, S-1002.",
            str(activity.note),
        )
