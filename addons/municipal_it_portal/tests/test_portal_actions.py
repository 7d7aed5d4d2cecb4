# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ItPortalCommon

UPLOAD = "/my/leasing/reconciliations/upload"
# March 2026: SN-A as agreed, SN-B at 450.00 instead of 400.00, SN-D left out.
GOOD = b"Schedule,Serial,Period,Amount\nS-1,SN-A,2026-03,500\nS-1,SN-B,2026-03,450\n"
# Row 3 names a schedule of another lessor: the whole file is refused.
BAD = b"Schedule,Serial,Period,Amount\nS-1,SN-A,2026-03,500\nT-1,SN-Z,2026-03,100\n"


@tagged("post_install", "-at_install")
class TestPortalActions(ItPortalCommon):
    def _upload(self, login, content, month="2026-03"):
        self.authenticate(login, login)
        csrf = self._csrf("/my/account")
        return self.url_open(
            UPLOAD,
            data={"csrf_token": csrf, "month": month},
            files={"file": ("spec.csv", content, "text/csv")},
            allow_redirects=False,
        )

    def _reconciliations(self, lessor=None):
        return self.env["it.lease.reconciliation"].search(
            [("lessor_id", "=", (lessor or self.lessor).id)]
        )

    def test_upload_specification(self):
        response = self._upload("lessor_one", BAD)
        self.assertEqual(response.status_code, 200)
        self.assertIn("row 3", response.text.lower())
        self.assertIn("T-1", response.text)
        self.assertFalse(self._reconciliations(), "a bad file imports nothing")

        response = self._upload("lessor_one", GOOD)
        self.assertEqual(response.status_code, 303)
        reconciliation = self._reconciliations()
        self.assertEqual(len(reconciliation), 1)
        self.assertEqual(reconciliation.company_id, self.company)
        self.assertEqual(reconciliation.date_from, date(2026, 3, 1))
        # Invoiced 500 + 450 = 950; SN-B differs by 50, SN-D (250 a month)
        # was not invoiced: two discrepancies.
        self.assertAlmostEqual(reconciliation.invoiced_total, 950.0)
        self.assertEqual(reconciliation.discrepancy_count, 2)
        self.assertEqual(
            {
                line.serial_no or line.equipment_id.serial_no: line.status
                for line in reconciliation.line_ids
            },
            {"SN-A": "matched", "SN-B": "amount_differs", "SN-D": "not_invoiced"},
        )
        # A chatter event under the portal user's name, an activity for the
        # schedule's responsible.
        message = reconciliation.message_ids.filtered(
            lambda m: (
                m.author_id == self.portal.partner_id and m.message_type == "comment"
            )
        )
        self.assertEqual(len(message), 1)
        self.assertIn("Lars Leasing", message.body)
        activity = reconciliation.activity_ids
        self.assertEqual(activity.user_id, self.manager)

        # The page shows the discrepancies to the lessor.
        page = self._get(reconciliation.access_url, "lessor_one")
        self.assertEqual(page.status_code, 200)
        self.assertIn("SN-B", page.text)
        self.assertIn("SN-D", page.text)
        self.assertNotIn("SN-A</td>", page.text)

        # Uploading the month again doubles nothing.
        response = self._upload("lessor_one", GOOD)
        self.assertEqual(response.status_code, 200)
        self.assertIn("already imported", response.text)
        self.assertEqual(len(self._reconciliations()), 1)

        # Other visitors of the reconciliation.
        self.assertEqual(
            self._get(reconciliation.access_url, "lessor_two").status_code, 403
        )
        self.assertEqual(
            self._get(reconciliation.access_url, "lessor_one_b").status_code, 403
        )
        self.assertEqual(
            self._get(reconciliation.access_url, "internal_plain").status_code, 403
        )
        self.assertEqual(self._get(reconciliation.access_url, None).status_code, 403)

    def test_upload_refused_to_others(self):
        # An internal user is no lessor: 403, nothing imported.
        response = self._upload("internal_plain", GOOD)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._reconciliations())
        # Anonymous visitors are sent to the login.
        self.authenticate(None, None)
        response = self.url_open(
            UPLOAD, data={"month": "2026-03"}, allow_redirects=False
        )
        self.assertIn(response.status_code, (303, 400))
        self.assertFalse(self._reconciliations())
        # The ORM method refuses an internal caller in the same words.
        with self.assertRaises(AccessError):
            self.env["it.lease.reconciliation"].with_user(
                self.internal
            )._it_portal_import_specification(date(2026, 3, 1), GOOD, "spec.csv")

    def test_dispute_and_answer(self):
        reconciliation = self.env["it.lease.reconciliation"]._import_specification(
            self.lessor, date(2026, 3, 1), GOOD, "spec.csv"
        )
        reconciliation = reconciliation.with_user(self.manager)
        reconciliation.check_note = "Fakturan har inte kommit"
        reconciliation.action_check()
        token = reconciliation.sudo()._portal_ensure_token()
        reconciliation.action_dispute()
        # The lessor's portal user (not the other lessor's) is e-mailed,
        # through the queue.
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "it.lease.reconciliation"),
                ("res_id", "=", reconciliation.id),
            ]
        )
        self.assertEqual(mails.recipient_ids, self.portal.partner_id)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})

        url = reconciliation.access_url
        answer_url = f"{url}/answer"
        # Another lessor may not answer.
        self.authenticate("lessor_two", "lessor_two")
        csrf = self._csrf("/my/account")
        response = self.url_open(
            answer_url,
            data={"csrf_token": csrf, "answer": "Nej"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 403)

        self.authenticate("lessor_one", "lessor_one")
        csrf = self._csrf(url)
        # An answer of over 10,000 characters is refused on the page, and
        # nothing is posted.
        response = self.url_open(
            answer_url, data={"csrf_token": csrf, "answer": "x" * 10001}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("10001 characters long", response.text)
        self.assertFalse(
            reconciliation.sudo().message_ids.filtered(
                lambda m: m.author_id == self.portal.partner_id
            )
        )
        response = self.url_open(
            answer_url,
            data={"csrf_token": csrf, "answer": "SN-B har fått nytt pris i bilaga 2."},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        answer = reconciliation.sudo().message_ids.filtered(
            lambda m: (
                m.author_id == self.portal.partner_id and m.message_type == "comment"
            )
        )
        self.assertEqual(len(answer), 1)
        self.assertIn("SN-B har fått nytt pris", answer.body)
        self.assertEqual(reconciliation.sudo().activity_ids.user_id, self.manager)
        page = self._get(url, "lessor_one")
        self.assertIn("SN-B har fått nytt pris", page.text)

        # Accepted: the shared link expires, the rules still let the lessor in.
        self.assertEqual(
            self._get(f"{url}?access_token={token}", None).status_code, 200
        )
        reconciliation.action_accept()
        self.assertFalse(reconciliation.sudo().access_token)
        self.assertEqual(
            self._get(f"{url}?access_token={token}", None).status_code, 403
        )
        self.assertEqual(self._get(url, "lessor_one").status_code, 200)
