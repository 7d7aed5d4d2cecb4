# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import tagged

from .common import ItPortalCommon

UPLOAD = "/my/leasing/reconciliations/upload"
SPEC = b"Schedule;Serial;Period;Amount\n%s;%s;2026-03;%s\n"


@tagged("post_install", "-at_install")
class TestPortalRoutesAudit(ItPortalCommon):
    """The routes per visitor the other tests leave out: the reconciliation
    list, a valid token of another record, what a GET writes (nothing), wrong
    methods, missing CSRF tokens, the answer and the upload from the other
    municipality; nothing of another party in any answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Reconciliation = cls.env["it.lease.reconciliation"]
        cls.rec = Reconciliation._import_specification(
            cls.lessor, date(2026, 3, 1), SPEC % (b"S-1", b"SN-A", b"510")
        )
        cls.rec_2 = Reconciliation._import_specification(
            cls.lessor_2, date(2026, 3, 1), SPEC % (b"T-1", b"SN-Z", b"100")
        )
        cls.rec_b = Reconciliation.with_company(cls.company_b)._import_specification(
            cls.lessor, date(2026, 3, 1), SPEC % (b"N-1", b"SN-N", b"300")
        )
        # L1's reconciliation is disputed: its page offers the answer form.
        rec = cls.rec.with_user(cls.manager)
        rec.check_note = "Fakturan har inte kommit"
        rec.action_check()
        rec.action_dispute()
        cls.records = (
            cls.agreement,
            cls.agreement_2,
            cls.agreement_b,
            cls.schedule,
            cls.schedule_2,
            cls.schedule_b,
            cls.device_a,
            cls.device_z,
            cls.device_n,
            cls.rec,
            cls.rec_2,
            cls.rec_b,
        )

    def _snapshot(self):
        """What a request may have written on the records of every party."""
        self.env.invalidate_all()
        return [
            (
                record._name,
                record.id,
                record.write_date,
                record.access_token if "access_token" in record._fields else None,
                len(record.message_ids),
                len(record.activity_ids),
            )
            for record in self.records
        ] + [self.env["it.lease.reconciliation"].search_count([])]

    def assertPage(self, url, login, status, lacks=()):
        response = self._get(url, login)
        self.assertEqual(response.status_code, status, f"{url} as {login}")
        for text in lacks:
            self.assertNotIn(text, response.text, f"{url} as {login}")
        return response

    def test_reconciliation_list_per_visitor(self):
        url = "/my/leasing/reconciliations"
        links = {
            "lessor_one": self.rec.access_url,
            "lessor_two": self.rec_2.access_url,
            "lessor_one_b": self.rec_b.access_url,
        }
        for login, own in links.items():
            others = [link for link in links.values() if link != own]
            response = self.assertPage(url, login, 200, [f'"{o}"' for o in others])
            self.assertIn(f'"{own}"', response.text, login)
        self.assertPage(url, "internal_plain", 403, [f'"{o}"' for o in links.values()])
        self.assertIn("/web/login", self.assertPage(url, None, 303).headers["Location"])

    def test_token_of_another_record_opens_nothing(self):
        pairs = [
            (self.schedule, self.schedule_2, ("SN-A", "S-1")),
            (self.agreement, self.agreement_2, ("MA-1", "S-1")),
            (self.rec, self.rec_2, ("SN-A", "510")),
        ]
        for own, other, secrets in pairs:
            token = other._portal_ensure_token()
            url = f"{own.access_url}?access_token={token}"
            for login in (None, "lessor_two", "lessor_one_b", "internal_plain"):
                self.assertPage(url, login, 403, secrets)
            # The token opens its own record only.
            self.assertPage(f"{other.access_url}?access_token={token}", None, 200)
        # The device page reads no token at all.
        token = self.schedule._portal_ensure_token()
        self.assertPage(
            f"/my/leasing/devices/{self.device_a.id}?access_token={token}",
            "lessor_two",
            403,
            ("SN-A", "Laptop SN-A"),
        )
        # A forged id: 404 whoever asks, nothing else said.
        for login in ("lessor_two", "lessor_one_b"):
            self.assertPage(
                f"/my/leasing/reconciliations/999999?access_token={token}",
                login,
                404,
                ("SN-A",),
            )

    def test_reconciliation_page_shows_no_text_of_the_query_string(self):
        """The error shown above the answer form is the route's own; an
        ``error`` in the link is not rendered (a forged notice)."""
        response = self.assertPage(
            f"{self.rec.access_url}?error=Ring+08-123+45+67+och+uppge+kortnummer",
            "lessor_one",
            200,
            ("Ring 08-123", "kortnummer"),
        )
        self.assertIn("/answer", response.text)

    def test_get_writes_nothing(self):
        token = self.schedule._portal_ensure_token()
        rec_token = self.rec._portal_ensure_token()
        before = self._snapshot()
        urls = [
            "/my",
            "/my/leasing/agreements",
            "/my/leasing/schedules",
            "/my/leasing/devices",
            "/my/leasing/reconciliations",
            self.agreement.access_url,
            f"{self.schedule.access_url}?access_token={token}",
            f"/my/leasing/devices/{self.device_a.id}",
            f"{self.rec.access_url}?access_token={rec_token}&answered=1",
        ]
        for login in ("lessor_one", "lessor_two", "internal_plain", None):
            for url in urls:
                self._get(url, login)
            # What writes answers a GET with 405, its query string unread.
            for url in (
                f"{UPLOAD}?month=2026-03",
                f"{self.rec.access_url}/answer?answer=Nej",
            ):
                self.assertPage(url, login, 405)
        self.assertEqual(self._snapshot(), before)

    def test_posts_need_the_csrf_token(self):
        before = self._snapshot()
        self.authenticate("lessor_one", "lessor_one")
        for csrf in (None, "forged"):
            data = {"answer": "Nej"} | ({"csrf_token": csrf} if csrf else {})
            response = self.url_open(
                f"{self.rec.access_url}/answer", data=data, allow_redirects=False
            )
            self.assertEqual(response.status_code, 400, csrf)
            data = {"month": "2026-04"} | ({"csrf_token": csrf} if csrf else {})
            response = self.url_open(
                UPLOAD,
                data=data,
                files={"file": ("spec.csv", SPEC % (b"S-1", b"SN-A", b"500"))},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 400, csrf)
        self.assertEqual(self._snapshot(), before)

    def test_answer_refused_to_every_other_visitor(self):
        token = self.rec._portal_ensure_token()
        before = self._snapshot()
        answer_url = f"{self.rec.access_url}/answer"
        for login in ("lessor_one_b", "internal_plain"):
            self.authenticate(login, login)
            csrf = self._csrf("/my/account")
            for url, status in (
                (answer_url, 403),
                (f"{answer_url}?access_token={token}", 403),
                ("/my/leasing/reconciliations/999999/answer", 404),
            ):
                response = self.url_open(
                    url,
                    data={"csrf_token": csrf, "answer": "Nej", "access_token": token},
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, status, f"{url} {login}")
                self.assertNotIn("SN-A", response.text)
        # A token holder without a login is sent to log in.
        self.authenticate(None, None)
        response = self.url_open(
            f"{answer_url}?access_token={token}",
            data={"answer": "Nej", "access_token": token},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (303, 400))
        self.assertEqual(self._snapshot(), before)

    def test_upload_from_the_other_municipality_writes_nothing_here(self):
        """L1's user of the neighbouring municipality names L1's schedule of
        this one: refused, nothing of it shown, nothing imported anywhere."""
        before = self._snapshot()
        self.authenticate("lessor_one_b", "lessor_one_b")
        csrf = self._csrf("/my/account")
        response = self.url_open(
            UPLOAD,
            data={"csrf_token": csrf, "month": "2026-04"},
            files={"file": ("spec.csv", SPEC % (b"S-1", b"SN-A", b"500"))},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_it_portal_error", response.text)
        for text in ("Laptop SN-A", "MA-1", f'"{self.rec.access_url}"'):
            self.assertNotIn(text, response.text)
        # The page lists the user's own reconciliations only.
        self.assertIn(f'"{self.rec_b.access_url}"', response.text)
        self.assertEqual(self._snapshot(), before)
