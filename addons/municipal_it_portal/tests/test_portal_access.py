# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ItPortalCommon


@tagged("post_install", "-at_install")
class TestPortalAccess(ItPortalCommon):
    """Every route answered per kind of visitor: the lessor's portal user,
    another lessor's, the same lessor's in another municipality, an internal
    user without IT leasing rights, an anonymous visitor, an expired token."""

    def assertStatus(self, url, login, status, contains=(), lacks=()):
        response = self._get(url, login)
        self.assertEqual(
            response.status_code, status, f"{url} as {login}: {response.status_code}"
        )
        for text in contains:
            self.assertIn(text, response.text, f"{url} as {login}")
        for text in lacks:
            self.assertNotIn(text, response.text, f"{url} as {login}")
        return response

    def test_lists(self):
        # Lists: the rules choose the rows; anonymous visitors go to the login.
        lists = {
            "/my/leasing/agreements": ("MA-1", "MA-2", "MA-B"),
            "/my/leasing/schedules": ("S-1", "T-1", "N-1"),
            "/my/leasing/devices": ("SN-A", "SN-Z", "SN-N"),
        }
        for url, (own, other_lessor, other_company) in lists.items():
            self.assertStatus(
                url, "lessor_one", 200, (own,), (other_lessor, other_company)
            )
            self.assertStatus(
                url, "lessor_two", 200, (other_lessor,), (own, other_company)
            )
            self.assertStatus(
                url, "lessor_one_b", 200, (other_company,), (own, other_lessor)
            )
            # Odoo's own maintenance rights may show an internal user devices
            # they follow; none of the lessors' records reach them here.
            self.assertStatus(
                url,
                "internal_plain",
                403 if "devices" not in url else 200,
                (),
                (own, other_lessor, other_company),
            )
            response = self.assertStatus(url, None, 303)
            self.assertIn("/web/login", response.headers["Location"])

    def test_detail_pages(self):
        pages = [
            f"/my/leasing/agreements/{self.agreement.id}",
            f"/my/leasing/schedules/{self.schedule.id}",
            f"/my/leasing/devices/{self.device_a.id}",
        ]
        for url in pages:
            self.assertStatus(url, "lessor_one", 200)
            self.assertStatus(url, "lessor_two", 403)
            self.assertStatus(url, "lessor_one_b", 403)
            self.assertStatus(url, "internal_plain", 403)
        for url in pages[:2]:
            self.assertStatus(url, None, 403)
        # The device page needs a login: anonymous visitors are sent there.
        self.assertStatus(pages[2], None, 303)
        # The same lessor's portal user of the other municipality sees its
        # own schedule, and nothing of this one.
        self.assertStatus(
            f"/my/leasing/schedules/{self.schedule_b.id}", "lessor_one_b", 200
        )
        self.assertStatus(
            f"/my/leasing/schedules/{self.schedule_b.id}", "lessor_one", 403
        )
        for url in (
            "/my/leasing/agreements/999999",
            "/my/leasing/schedules/999999",
            "/my/leasing/devices/999999",
            "/my/leasing/reconciliations/999999",
        ):
            self.assertStatus(url, "lessor_one", 404)

    def test_schedule_hides_internal_fields(self):
        url = f"/my/leasing/schedules/{self.schedule.id}"
        self.assertStatus(
            url,
            "lessor_one",
            200,
            contains=("SN-A", "SN-B", "SN-D", "500.00"),
            # The responsible's name, the internal note, the activity code.
            lacks=("Maja Förvaltare", "Intern anteckning", "Grundskola", "3200"),
        )
        self.assertStatus(
            f"/my/leasing/devices/{self.device_a.id}",
            "lessor_one",
            200,
            contains=("SN-A",),
            lacks=("Hemlig notering", "Maja Förvaltare", "Grundskola"),
        )
        # The municipality allows activity codes: they are shown, the rest
        # stays hidden.
        self.company.it_portal_show_activity_code = True
        self.assertStatus(
            url,
            "lessor_one",
            200,
            contains=("Grundskola",),
            lacks=("Maja Förvaltare", "Intern anteckning"),
        )

    def test_orm_refuses_internal_fields(self):
        # What the pages hide, JSON-RPC does not give either.
        device = self.device_a.with_user(self.portal)
        self.assertEqual(device.read(["serial_no"])[0]["serial_no"], "SN-A")
        for field in ("owner_user_id", "note", "activity_code_id", "employee_id"):
            with self.assertRaises(AccessError, msg=field):
                device.read([field])
        with self.assertRaises(AccessError):
            self.schedule.with_user(self.portal).read(["user_id"])
        with self.assertRaises(AccessError):
            self.schedule.with_user(self.portal).read(["note"])
        # Another lessor's records are out of reach through the ORM too.
        with self.assertRaises(AccessError):
            self.device_z.with_user(self.portal).read(["serial_no"])
        with self.assertRaises(AccessError):
            self.schedule.with_user(self.portal).write({"name": "X"})
        self.assertEqual(
            self.env["it.lease.schedule"].with_user(self.portal).search([]),
            self.schedule,
        )

    def test_token_expires_with_state(self):
        token = self.schedule._portal_ensure_token()
        url = f"/my/leasing/schedules/{self.schedule.id}?access_token={token}"
        self.assertStatus(url, None, 200, contains=("SN-A",))
        self.assertStatus(
            f"/my/leasing/schedules/{self.schedule.id}?access_token=wrong", None, 403
        )
        # The schedule ends: the link no longer opens it.
        self.schedule.with_user(self.manager).action_end()
        self.assertNotEqual(self.schedule.state, "active")
        self.assertFalse(self.schedule.access_token)
        self.assertStatus(url, None, 403)

    def test_token_expires_when_the_agreement_is_archived(self):
        token = self.agreement._portal_ensure_token()
        url = f"/my/leasing/agreements/{self.agreement.id}?access_token={token}"
        self.assertStatus(url, None, 200, contains=("MA-1",))
        self.agreement.active = False
        self.assertFalse(self.agreement.access_token)
        self.assertStatus(url, None, 403)
