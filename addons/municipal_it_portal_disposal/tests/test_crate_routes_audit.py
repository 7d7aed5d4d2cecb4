# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user, tagged

from .common import CratePortalCommon

HEADER = (
    "report_id,device_serial,medium_serial,method,level,tool,tool_version,"
    "status,operator,timestamp,verification"
)


def report(*rows):
    """A sanitization report (CSV) of ``rows`` (report, device, medium)."""
    lines = [HEADER] + [
        f"{ref},{device},{medium},NVMe Sanitize,Purge,Blancco,7.1,erased,"
        f"Operatör,2026-03-11T09:{minute:02d}:00Z,ok"
        for minute, (ref, device, medium) in enumerate(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


@tagged("post_install", "-at_install")
class TestCrateRoutesAudit(CratePortalCommon):
    """The crate routes per visitor the other tests leave out: the same
    lessor's portal user of another municipality, a token of another crate,
    wrong methods, missing CSRF tokens, what a GET writes (nothing), a report
    or grade the page does not offer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Another lessor's crate BUR-99, collected, with nothing in it.
        cls.other_batch = cls._batch(
            devices=cls.env["maintenance.equipment"],
            recipient_id=cls.other_lessor.id,
            crate_number="BUR-99",
            seal_numbers="S-9901",
        )
        cls.other_batch.sudo().write({"state": "collected"})
        # The same lessor's portal user in a neighbouring municipality.
        cls.company_b = cls.env["res.company"].create({"name": "Grannkommun"})
        cls.portal_b = new_test_user(
            cls.env,
            login="crate_lessor_b",
            name="Petra i Grannkommun",
            groups="base.group_portal",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.portal_b.partner_id.parent_id = cls.lessor
        # A device of the municipality outside the crate, with its SSD.
        cls.outside = cls.env["maintenance.equipment"].create(
            {"name": "Laptop RX-9", "serial_no": "RX-9"}
        )
        cls.outside_medium = cls.env["it.storage.medium"].create(
            {
                "equipment_id": cls.outside.id,
                "serial_no": "SSD-X9",
                "medium_type": "ssd",
            }
        )

    def _snapshot(self, batch=None):
        """What a request may have written on the crate, its lines and the
        device outside it."""
        batch = batch or self.batch
        self.env.invalidate_all()
        return (
            batch.state,
            batch.write_date,
            batch.access_token,
            len(batch.message_ids),
            len(batch.event_ids),
            len(batch.report_ids),
            len(batch.activity_ids),
            [
                (line.receipt_state, line.grade, line.offered_value, line.disposition)
                for line in batch.line_ids
            ],
            self.outside.wipe_state,
            len(self.outside.storage_medium_ids),
        )

    def _lines(self):
        return {line.serial_no: line for line in self.batch.line_ids}

    def test_other_municipality_and_other_crates_token(self):
        crate_token = self.batch._portal_ensure_token()
        before = self._snapshot()
        url = self.batch.access_url
        # The same lessor in another municipality: nothing of this crate.
        listing = self._get("/my/leasing/crates", "crate_lessor_b")
        self.assertEqual(listing.status_code, 200)
        for text in ("BUR-17", "BUR-99", "RA-1"):
            self.assertNotIn(text, listing.text)
        self.assertEqual(self._get(url, "crate_lessor_b").status_code, 403)
        # The other lessor sees its own crate, nothing of this one.
        listing = self._get("/my/leasing/crates", "crate_other")
        self.assertIn("BUR-99", listing.text)
        self.assertNotIn("BUR-17", listing.text)
        # A valid token of the other lessor's crate opens no other crate,
        # for an anonymous visitor or a portal user.
        token = self.other_batch._portal_ensure_token()
        for login in (None, "crate_other", "crate_lessor_b"):
            page = self._get(f"{url}?access_token={token}", login)
            self.assertEqual(page.status_code, 403, login)
            for text in ("BUR-17", "RA-1", "S-1001"):
                self.assertNotIn(text, page.text, login)
        own = self._get(f"{self.other_batch.access_url}?access_token={token}", None)
        self.assertEqual(own.status_code, 200)
        self.assertIn("BUR-99", own.text)
        self.assertNotIn("BUR-17", own.text)
        # Acting on the crate from the other municipality: 403, nothing kept.
        actions = {
            "receipt": {"serials": "RA-1", "seals": "S-1001, S-1002"},
            "grade": {f"grade_{self.batch.line_ids[0].id}": "a"},
            "answer": {"answer": "Nej"},
        }
        for action, data in actions.items():
            response = self._post(f"{url}/{action}", "crate_lessor_b", data)
            self.assertEqual(response.status_code, 403, action)
            # The crate's token gives no right to act either.
            response = self._post(
                f"{url}/{action}",
                "crate_other",
                dict(data, access_token=crate_token),
            )
            self.assertEqual(response.status_code, 403, action)
        self.assertEqual(self._snapshot(), before)

    def test_get_writes_nothing(self):
        token = self.batch._portal_ensure_token()
        before = self._snapshot()
        url = self.batch.access_url
        for login in ("crate_lessor", "crate_other", "crate_internal", None):
            self._get("/my/leasing/crates", login)
            self._get(url, login)
            self._get(f"{url}?access_token={token}", login)
            # The actions answer a GET with 405, their query string unread.
            for action in ("receipt", "grade", "report", "answer"):
                response = self._get(
                    f"{url}/{action}?serials=RA-1&seals=S-1001"
                    f"&grade_{self.batch.line_ids[0].id}=a&answer=Nej",
                    login,
                )
                self.assertEqual(response.status_code, 405, f"{action} {login}")
        self.assertEqual(self._snapshot(), before)

    def test_posts_need_the_csrf_token(self):
        # RA-1 received: each post below would write if its token were valid.
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1", "S-1001 S-1002"
        )
        before = self._snapshot()
        url = self.batch.access_url
        line = self._lines()["RA-1"]
        posts = {
            "receipt": ({"serials": "RA-2", "seals": "S-1001, S-1002"}, None),
            "grade": ({f"grade_{line.id}": "a", f"value_{line.id}": "900"}, None),
            "report": (
                {},
                {"file": ("wipe.csv", report(("R-8", "RA-1", "SSD-A1")), "text/csv")},
            ),
            "answer": ({"answer": "Nej"}, None),
        }
        self.authenticate("crate_lessor", "crate_lessor")
        for action, (data, files) in posts.items():
            for csrf in ({}, {"csrf_token": "forged"}):
                response = self.url_open(
                    f"{url}/{action}",
                    data=dict(data, **csrf),
                    files=files,
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 400, f"{action} {csrf}")
        # Anonymous: sent to the login or refused, nothing kept.
        self.authenticate(None, None)
        response = self.url_open(
            f"{url}/receipt", data={"serials": "RA-1"}, allow_redirects=False
        )
        self.assertIn(response.status_code, (303, 400))
        self.assertEqual(self._snapshot(), before)

    def test_grade_of_a_line_of_no_crate_grades_nothing(self):
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1", "S-1001 S-1002"
        )
        # Only the crate's own lines are read from the form: a field named
        # after another id grades nothing.
        forged = max(self.env["it.disposal.batch.line"].search([]).ids) + 1
        response = self._post(
            f"{self.batch.access_url}/grade",
            "crate_lessor",
            {f"grade_{forged}": "a", f"value_{forged}": "900"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Grade at least one device", response.text)
        self.env.invalidate_all()
        self.assertFalse(any(line.grade for line in self.batch.line_ids))

    def test_grade_of_a_device_not_received_is_refused(self):
        """The page grades received devices only; a forged field of a device
        whose receipt is not confirmed is refused, nothing graded."""
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1", "S-1001 S-1002"
        )
        lines = self._lines()
        response = self._post(
            f"{self.batch.access_url}/grade",
            "crate_lessor",
            {
                f"grade_{lines['RA-1'].id}": "a",
                f"value_{lines['RA-1'].id}": "900",
                f"grade_{lines['RA-3'].id}": "b",
                f"value_{lines['RA-3'].id}": "500",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("RA-3", response.text)
        self.assertIn("confirm its receipt", response.text)
        self.env.invalidate_all()
        self.assertEqual((lines["RA-1"].grade, lines["RA-1"].offered_value), (False, 0))
        self.assertEqual((lines["RA-3"].grade, lines["RA-3"].offered_value), (False, 0))

    def test_report_touches_only_the_crates_devices(self):
        """A device outside the crate named in the lessor's report is treated
        like a serial the register does not hold: no medium created on it, no
        certificate linked, its wipe status unchanged."""
        wipe_state = self.outside.wipe_state
        response = self._post(
            f"{self.batch.access_url}/report",
            "crate_lessor",
            {},
            files={
                "file": (
                    "wipe.csv",
                    report(
                        ("R-8", "RA-1", "SSD-A1"),
                        ("R-8", "RX-9", "SSD-NEW"),
                        ("R-8", "RX-NOWHERE", "SSD-NEW2"),
                    ),
                    "text/csv",
                )
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.env.invalidate_all()
        wipe = self.batch.report_ids
        self.assertEqual(len(wipe), 1)
        # Three certificates: SSD-A1 of RA-1 matched; RX-9 and RX-NOWHERE
        # alike unmatched.
        self.assertEqual((wipe.certificate_count, wipe.unmatched_count), (3, 2))
        self.assertEqual(
            wipe.certificate_ids.equipment_id, self.batch.line_ids.equipment_id[:1]
        )
        self.assertEqual(self.outside.storage_medium_ids, self.outside_medium)
        self.assertFalse(
            self.env["it.storage.medium"].search([("serial_no", "=", "SSD-NEW")])
        )
        self.assertEqual(self.outside.wipe_state, wipe_state)

    def test_report_naming_a_medium_outside_the_crate_names_nothing(self):
        before = self._snapshot()
        for rows in (
            [("R-9", "RA-2", "SSD-X9")],
            [("R-9", "RX-9", "SSD-X9")],
        ):
            response = self._post(
                f"{self.batch.access_url}/report",
                "crate_lessor",
                {},
                files={"file": ("wipe.csv", report(*rows), "text/csv")},
            )
            self.assertEqual(response.status_code, 200, rows)
            self.assertIn("Nothing was imported", response.text)
            self.assertIn("not in crate", response.text)
            # The device the medium is on is not named.
            self.assertNotIn("RX-9", response.text)
        self.env.invalidate_all()
        self.assertFalse(self.outside_medium.certificate_ids)
        self.assertEqual(self._snapshot(), before)

    def test_report_refused_on_a_settled_or_sealed_crate(self):
        for state in ("settled", "sealed"):
            self.batch.sudo().write({"state": state})
            before = self._snapshot()
            response = self._post(
                f"{self.batch.access_url}/report",
                "crate_lessor",
                {},
                files={
                    "file": (
                        f"wipe-{state}.csv",
                        report((f"R-{state}", "RA-1", "SSD-A1")),
                        "text/csv",
                    )
                },
            )
            self.assertEqual(response.status_code, 200, state)
            self.assertEqual(self._snapshot(), before, state)
