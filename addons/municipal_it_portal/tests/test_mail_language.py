# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import new_test_user, tagged

from odoo.addons.municipal_it_lease.tests.common_lang import LangMixin

from .common import ItPortalCommon

# March 2026: SN-A as agreed, SN-B at 450.00 instead of 400.00, SN-D left out.
SPEC = b"Schedule,Serial,Period,Amount\nS-1,SN-A,2026-03,500\nS-1,SN-B,2026-03,450\n"


@tagged("post_install", "-at_install")
class TestMailLanguage(LangMixin, ItPortalCommon):
    """The lessor's contacts are e-mailed in their own languages, the
    municipality's responsible gets activities in theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_langs(["municipal_it_lease", "municipal_it_portal"])
        cls.portal.lang = "en_US"
        cls.portal_sv = cls._portal_user("lessor_one_sv", "Sven Svensson", cls.lessor)
        cls.portal_sv.lang = "sv_SE"
        cls.manager.lang = "sv_SE"
        cls.de_manager = new_test_user(
            cls.env,
            login="it_manager_de",
            name="Dieter Verwalter",
            groups="municipal_it_lease.municipal_it_lease_group_manager,"
            "account.group_account_invoice",
        )
        cls.de_manager.lang = "de_DE"
        cls.company.email = "it@vasby.example"
        cls.template = cls.env.ref(
            "municipal_it_portal.mail_template_reconciliation_disputed"
        )

    def _disputed(self):
        reconciliation = self.env["it.lease.reconciliation"]._import_specification(
            self.lessor, date(2026, 3, 1), SPEC, "spec.csv"
        )
        reconciliation = reconciliation.with_user(self.de_manager).with_context(
            lang="de_DE"
        )
        reconciliation.check_note = "Fakturan har inte kommit"
        reconciliation.action_check()
        reconciliation.action_dispute()
        return reconciliation

    def _mail(self, reconciliation, user):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "it.lease.reconciliation"),
                ("res_id", "=", reconciliation.id),
                ("recipient_ids", "in", user.partner_id.ids),
            ]
        )

    def test_dispute_mailed_to_each_contact_in_their_language(self):
        reconciliation = self._disputed()
        english = self._mail(reconciliation, self.portal)
        swedish = self._mail(reconciliation, self.portal_sv)
        self.assertEqual(len(english), 1)
        self.assertEqual(len(swedish), 1)
        self.assertEqual(english.recipient_ids, self.portal.partner_id)
        self.assertEqual(swedish.recipient_ids, self.portal_sv.partner_id)
        name = reconciliation.sudo().name
        self.assertEqual(english.subject, f"Invoice disputed: {name}")
        self.assertEqual(swedish.subject, f"Faktura bestriden: {name}")
        # SN-B's amount differs, SN-D is not invoiced: 2 rows.
        self.assertIn("2 rows differ from the register", english.body_html)
        self.assertIn("2 rader skiljer sig från registret", swedish.body_html)
        self.assertIn("See the discrepancies and answer", english.body_html)
        self.assertIn("Se avvikelserna och svara", swedish.body_html)
        # In the municipality's name, not the clerk's.
        self.assertEqual(
            (english | swedish).mail_message_id.author_id, self.company.partner_id
        )
        for mail in english | swedish:
            self.assertNotIn(self.de_manager.email, str(mail.email_from))

    def test_administrators_edit_of_the_template_is_sent(self):
        self._edit_template(
            self.template,
            '<p>Bestridd: <t t-out="object.name"/>, '
            '<t t-out="object.discrepancy_count"/></p>',
        )
        reconciliation = self._disputed()
        name = reconciliation.sudo().name
        for user in self.portal | self.portal_sv:
            body = self._mail(reconciliation, user).body_html
            self.assertIn(f"Bestridd: {name}, 2", body)
            self.assertNotIn("differ from the register", body)

    def test_upload_logged_in_lessors_language_activity_in_responsibles(self):
        reconciliation = (
            self.env["it.lease.reconciliation"]
            .with_user(self.portal)
            .with_context(lang="en_US")
            ._it_portal_import_specification(date(2026, 3, 1), SPEC, "spec.csv")
        )
        message = reconciliation.sudo().message_ids.filtered(
            lambda m: (
                m.author_id == self.portal.partner_id and m.message_type == "comment"
            )
        )
        self.assertIn(
            "Lars Leasing uploaded the invoice specification spec.csv "
            "(2 rows, 2 discrepancies).",
            message.body,
        )
        activity = reconciliation.sudo().activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(
            activity.summary, "Leasegivaren laddade upp en fakturaspecifikation"
        )
        self.assertIn(
            "Lars Leasing laddade upp fakturaspecifikationen spec.csv "
            "(2 rader, 2 avvikelser).",
            str(activity.note),
        )
