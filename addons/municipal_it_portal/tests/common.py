# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import date

from odoo.tests import HttpCase, new_test_user


class ItPortalCommon(HttpCase):
    """Two municipalities in one database. In the first, lessor L1 (schedule
    S-1: devices SN-A 500.00, SN-B 400.00, SN-D 250.00 a month, on activity
    code 3200) and lessor L2 (schedule T-1: SN-Z). In the second, L1 again
    (schedule N-1: SN-N). Portal users: one of L1 in each municipality, one
    of L2; an internal user without IT leasing rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Grannkommun"})
        cls.plan = cls.env["account.analytic.plan"].create({"name": "Verksamheter"})
        cls.company.it_activity_code_plan_id = cls.plan
        cls.code_school = cls.env["account.analytic.account"].create(
            {"name": "Grundskola", "code": "3200", "plan_id": cls.plan.id}
        )
        cls.lessor, cls.lessor_2 = cls.env["res.partner"].create(
            [
                {"name": "Leasing Ett AB", "is_company": True},
                {"name": "Leasing Två AB", "is_company": True},
            ]
        )
        cls.manager = new_test_user(
            cls.env,
            login="it_manager_portal",
            name="Maja Förvaltare",
            groups="municipal_it_lease.municipal_it_lease_group_manager,"
            "account.group_account_invoice",
        )
        cls.agreement = cls._agreement("MA-1", cls.lessor)
        cls.agreement_2 = cls._agreement("MA-2", cls.lessor_2)
        cls.agreement_b = cls._agreement("MA-B", cls.lessor, cls.company_b)
        cls.schedule = cls._schedule("S-1", cls.agreement)
        cls.schedule.note = "<p>Intern anteckning: förhandla ned hyran</p>"
        cls.device_a = cls._device("SN-A", 500.0, cls.schedule)
        cls.device_b = cls._device("SN-B", 400.0, cls.schedule)
        cls.device_d = cls._device("SN-D", 250.0, cls.schedule)
        cls.schedule_2 = cls._schedule("T-1", cls.agreement_2)
        cls.device_z = cls._device("SN-Z", 100.0, cls.schedule_2)
        cls.schedule_b = cls._schedule("N-1", cls.agreement_b, cls.company_b)
        cls.device_n = cls._device("SN-N", 300.0, cls.schedule_b, cls.company_b)
        for schedule in cls.schedule | cls.schedule_2 | cls.schedule_b:
            schedule.action_activate()
        cls.portal = cls._portal_user("lessor_one", "Lars Leasing", cls.lessor)
        cls.portal_2 = cls._portal_user("lessor_two", "Tina Två", cls.lessor_2)
        cls.portal_b = cls._portal_user(
            "lessor_one_b", "Lars i Grannkommun", cls.lessor, cls.company_b
        )
        cls.internal = new_test_user(
            cls.env, login="internal_plain", name="Ingen Behörighet"
        )

    @classmethod
    def _agreement(cls, name, lessor, company=None):
        company = company or cls.company
        return (
            cls.env["it.lease.agreement"]
            .with_company(company)
            .create({"name": name, "lessor_id": lessor.id, "company_id": company.id})
        )

    @classmethod
    def _schedule(cls, name, agreement, company=None):
        company = company or cls.company
        return (
            cls.env["it.lease.schedule"]
            .with_company(company)
            .create(
                {
                    "name": name,
                    "agreement_id": agreement.id,
                    "company_id": company.id,
                    "date_start": date(2025, 1, 1),
                    "term_months": 36,
                    "user_id": cls.manager.id,
                }
            )
        )

    @classmethod
    def _device(cls, serial, rent, schedule, company=None):
        company = company or cls.company
        values = {
            "name": f"Laptop {serial}",
            "serial_no": serial,
            "company_id": company.id,
            "owner_user_id": cls.manager.id,
            "note": "<p>Hemlig notering</p>",
        }
        if company == cls.company:
            values.update(lifecycle_state="in_use", activity_code_id=cls.code_school.id)
        device = cls.env["maintenance.equipment"].with_company(company).create(values)
        cls.env["it.lease.line"].with_company(company).create(
            {
                "schedule_id": schedule.id,
                "equipment_id": device.id,
                "monthly_rent": rent,
            }
        )
        return device

    @classmethod
    def _portal_user(cls, login, name, lessor, company=None):
        company = company or cls.company
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="base.group_portal",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
            email=f"{login}@lessor.example",
        )
        user.partner_id.parent_id = lessor
        return user

    def _get(self, url, login=None, **kwargs):
        if login:
            self.authenticate(login, login)
        else:
            self.authenticate(None, None)
        return self.url_open(url, allow_redirects=False, **kwargs)

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, url)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
