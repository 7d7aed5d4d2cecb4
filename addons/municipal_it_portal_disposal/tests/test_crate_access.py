# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CratePortalCommon


@tagged("post_install", "-at_install")
class TestCrateAccess(CratePortalCommon):
    def test_routes_per_visitor(self):
        url = self.batch.access_url
        self.assertEqual(
            self._get("/my/leasing/crates", "crate_lessor").status_code, 200
        )
        self.assertIn("BUR-17", self._get("/my/leasing/crates", "crate_lessor").text)
        self.assertNotIn("BUR-17", self._get("/my/leasing/crates", "crate_other").text)
        self.assertEqual(
            self._get("/my/leasing/crates", "crate_internal").status_code, 403
        )
        self.assertEqual(self._get("/my/leasing/crates", None).status_code, 303)
        page = self._get(url, "crate_lessor")
        self.assertEqual(page.status_code, 200)
        # Who handed the crate over and who follows it up: users' names, not
        # shown; the notification speaks in the municipality's name.
        self.assertIn("BUR-17", page.text)
        self.assertNotIn("Karin Chef", page.text)
        self.assertNotIn(self.env.user.name, page.text)
        for login in ("crate_other", "crate_internal", None):
            self.assertEqual(self._get(url, login).status_code, 403, login)
        self.assertEqual(
            self._get("/my/leasing/crates/999999", "crate_lessor").status_code, 404
        )
        # Actions: another lessor, an internal user: 403, nothing recorded.
        actions = {
            "receipt": {"serials": "RA-1", "seals": "S-1001, S-1002"},
            "grade": {f"grade_{self.batch.line_ids[0].id}": "a"},
            "report": {},
            "answer": {"answer": "Nej"},
        }
        for action, data in actions.items():
            for login in ("crate_other", "crate_internal"):
                response = self._post(f"{url}/{action}", login, data)
                self.assertEqual(response.status_code, 403, f"{action} {login}")
            response = self._post(
                f"/my/leasing/crates/999999/{action}", "crate_lessor", data
            )
            self.assertEqual(response.status_code, 404, action)
        self.assertEqual(set(self.batch.line_ids.mapped("receipt_state")), {"pending"})

    def test_draft_crate_hidden_and_token_expiry(self):
        draft = self._batch(
            devices=self.env["maintenance.equipment"], crate_number="BUR-18"
        )
        self.assertEqual(self._get(draft.access_url, "crate_lessor").status_code, 403)
        token = self.batch._portal_ensure_token()
        url = f"{self.batch.access_url}?access_token={token}"
        page = self._get(url, None)
        self.assertEqual(page.status_code, 200)
        # A shared link shows the crate; acting needs a login.
        self.assertNotIn("o_it_receipt_form", page.text)
        self.batch.sudo().write({"state": "settled"})
        self.assertFalse(self.batch.access_token)
        self.assertEqual(self._get(url, None).status_code, 403)

    def test_orm_refuses_internal_fields_and_writes(self):
        batch = self.batch.with_user(self.portal)
        self.assertEqual(batch.read(["crate_number"])[0]["crate_number"], "BUR-17")
        for field in ("user_id", "handed_over_by_id"):
            with self.assertRaises(AccessError, msg=field):
                batch.read([field])
        with self.assertRaises(AccessError):
            self.batch.with_user(self.portal_other).read(["crate_number"])
        # The portal methods refuse another lessor's user and internal users.
        with self.assertRaises(AccessError):
            self.batch.with_user(self.portal_other)._it_portal_confirm_receipt(
                "RA-1", "S-1001, S-1002"
            )
        with self.assertRaises(AccessError):
            self.batch.with_user(self.internal)._it_portal_confirm_receipt(
                "RA-1", "S-1001, S-1002"
            )

    def test_steps_keep_the_users_rights_and_the_crates_state(self):
        """The crate's steps write with sudo() once the user may write the
        crate; the portal's own methods, which run them with sudo(), still
        meet the crate's state."""
        with self.assertRaises(AccessError):
            self.batch.with_user(self.portal)._confirm_receipt(
                "RA-1", date(2026, 3, 10), "", "", ""
            )
        self.assertEqual(set(self.batch.line_ids.mapped("receipt_state")), {"pending"})
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1 RA-2 RA-3", "S-1001, S-1002"
        )
        self.batch.sudo().write({"state": "graded"})
        line = self.batch.line_ids[0]
        with self.assertRaises(AccessError):
            line.with_user(self.portal).action_agree()
        self.assertEqual(line.agreement_state, "pending")
        line.with_user(self.it_boss).action_agree()
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            self.batch.with_user(self.portal)._it_portal_grade(
                {line.with_user(self.portal): {"grade": "d", "offered_value": 0.0}}
            )
        self.assertFalse(line.grade)

    def test_receipt_texts_are_capped(self):
        batch = self.batch.with_user(self.portal)
        with self.assertRaisesRegex(UserError, "Place: 201 characters, 200 at most"):
            batch._it_portal_confirm_receipt("RA-1", "S-1001", "x" * 201)
        with self.assertRaisesRegex(UserError, "Seal numbers: 201 characters"):
            batch._it_portal_confirm_receipt("RA-1", "S" * 201, "Lager Kista")
        self.assertEqual(set(self.batch.line_ids.mapped("receipt_state")), {"pending"})
        self.assertFalse(
            self.batch.event_ids.filtered(lambda e: e.event_type == "received")
        )

    def test_receipt_grade_and_answer_as_lessor(self):
        batch = self.batch.with_user(self.portal)
        batch._it_portal_confirm_receipt("ra-1\nRA-2", "S-1001 S-1002", "Lager Kista")
        lines = {line.serial_no: line for line in self.batch.line_ids}
        self.assertEqual(lines["RA-1"].receipt_state, "received")
        self.assertEqual(lines["RA-3"].receipt_state, "pending")
        event = self.batch.event_ids.filtered(lambda e: e.event_type == "received")
        self.assertEqual(event.user_id, self.portal)
        self.assertEqual(event.seal_numbers, "S-1001 S-1002")
        self.assertEqual(event.device_count, 2)
        self.assertFalse(self.batch.has_incident)
        # Grading is open now, yet not by a plain write of the portal user.
        with self.assertRaises(AccessError):
            lines["RA-1"].with_user(self.portal).write({"grade": "a"})
        batch._it_portal_grade(
            {
                lines["RA-1"].with_user(self.portal): {
                    "grade": "a",
                    "offered_value": 900.0,
                    "disposition": "remarket",
                }
            }
        )
        self.assertEqual(
            (lines["RA-1"].grade, lines["RA-1"].offered_value), ("a", 900.0)
        )
        activity = self.batch.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("municipal_it_portal.mail_activity_type_lessor_portal")
            )
        )
        self.assertEqual(activity.user_id, self.it_boss)
        self.assertEqual(len(activity), 2, "one per receipt and one per grading")
        with self.assertRaisesRegex(Exception, "negative"):
            batch._it_portal_grade(
                {
                    lines["RA-2"].with_user(self.portal): {
                        "grade": "b",
                        "offered_value": -5.0,
                    }
                }
            )
        # Seals that differ from those put on are an incident.
        batch._it_portal_confirm_receipt("RA-3", "S-1001, S-9999")
        self.assertTrue(self.batch.has_incident)

    def test_offered_value_that_is_no_amount_is_named(self):
        """An offered value of "nan" or "inf" parses as a float but is no
        amount: the page names the device and the value, nothing is graded."""
        self.batch.with_user(self.portal)._it_portal_confirm_receipt(
            "RA-1", "S-1001 S-1002", "Lager Kista"
        )
        line = self.batch.line_ids.filtered(lambda ln: ln.serial_no == "RA-1")
        for text in ("nan", "inf", "-Infinity"):
            response = self._post(
                f"{self.batch.access_url}/grade",
                "crate_lessor",
                {f"grade_{line.id}": "a", f"value_{line.id}": text},
            )
            self.assertEqual(response.status_code, 200, text)
            self.assertIn("is not an amount", response.text, text)
            self.env.invalidate_all()
            self.assertFalse(line.grade, text)
            self.assertEqual(line.offered_value, 0.0, text)
