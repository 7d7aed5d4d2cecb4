# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo.tests import tagged

from .common import ItPortalCommon


@tagged("post_install", "-at_install")
class TestPortalScheduleList(ItPortalCommon):
    """The lessor's list of schedules shows each schedule's devices and
    monthly rent, counted in one grouped query instead of the schedules'
    computed totals."""

    def _row(self, login, annex):
        page = self._get("/my/leasing/schedules", login)
        self.assertEqual(page.status_code, 200)
        for row in re.findall(r"<tr>(.*?)</tr>", page.text, re.DOTALL):
            if f">{annex}<" in row:
                return [
                    re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
                    for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
                ]
        self.fail(f"{annex} is not on the page of {login}")

    def test_devices_and_rent_per_schedule(self):
        # S-1: SN-A 500.00 + SN-B 400.00 + SN-D 250.00 = 1,150.00 a month.
        cells = self._row("lessor_one", "S-1")
        self.assertEqual(cells[4], "3")
        self.assertIn("1,150.00", cells[5])
        # T-1 (the other lessor's): SN-Z alone, 100.00.
        cells = self._row("lessor_two", "T-1")
        self.assertEqual(cells[4], "1")
        self.assertIn("100.00", cells[5])
        # The same figures as the schedules' own (computed) totals.
        self.assertEqual(
            (self.schedule.line_count, self.schedule.monthly_rent_total), (3, 1150.0)
        )
