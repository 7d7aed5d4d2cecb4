# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager

from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class ItLeaseCommon(BaseCommon):
    """Fixtures for one municipality: an activity code plan with codes, a
    lessor with a master agreement, and helpers for schedules and devices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.plan = cls.env["account.analytic.plan"].create({"name": "Verksamheter"})
        cls.company.it_activity_code_plan_id = cls.plan
        cls.code_school, cls.code_care = cls.env["account.analytic.account"].create(
            [
                {"name": "Grundskola", "code": "3200", "plan_id": cls.plan.id},
                {"name": "Äldreomsorg", "code": "4100", "plan_id": cls.plan.id},
            ]
        )
        cls.lessor = cls.env["res.partner"].create(
            {"name": "Test Lessor AB", "is_company": True}
        )
        cls.agreement = cls.env["it.lease.agreement"].create(
            {"name": "MA-TEST", "lessor_id": cls.lessor.id}
        )
        cls.it_user = new_test_user(
            cls.env,
            login="it_user",
            groups="municipal_it_lease.municipal_it_lease_group_user",
        )
        cls.it_manager = new_test_user(
            cls.env,
            login="it_manager",
            groups="municipal_it_lease.municipal_it_lease_group_manager",
        )

    @contextmanager
    def assertRefused(self, exception, regex):
        """Expect ``exception`` with a message matching ``regex``, and undo
        what the refused call wrote, as a real request's rollback would."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    @classmethod
    def _create_schedule(cls, name, date_start, term_months=36, **values):
        return cls.env["it.lease.schedule"].create(
            {
                "name": name,
                "agreement_id": cls.agreement.id,
                "date_start": date_start,
                "term_months": term_months,
                **values,
            }
        )

    @classmethod
    def _create_device(cls, serial, **values):
        return cls.env["maintenance.equipment"].create(
            {"name": f"Laptop {serial}", "serial_no": serial, **values}
        )
