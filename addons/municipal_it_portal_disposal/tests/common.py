# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo.tests import HttpCase, new_test_user

from odoo.addons.municipal_it_disposal.tests.common import DisposalCommon


class CratePortalCommon(DisposalCommon, HttpCase):
    """The disposal fixtures (crate BUR-17 of RA-1, RA-2, RA-3 with seals
    S-1001 and S-1002, sent to the lessor), collected, with portal users of
    the lessor, of another lessor, and an internal user without rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.it_portal_responsible_id = cls.it_boss
        cls.other_lessor = cls.env["res.partner"].create(
            {"name": "Annan Leasing AB", "is_company": True}
        )
        cls.portal = cls._portal_user("crate_lessor", "Petra Portal", cls.lessor)
        cls.portal_other = cls._portal_user(
            "crate_other", "Olle Annan", cls.other_lessor
        )
        cls.internal = new_test_user(
            cls.env, login="crate_internal", name="Ingen Behörighet"
        )
        cls.batch = cls._batch()
        cls.batch.action_seal()
        cls._collect(cls.batch)

    @classmethod
    def _portal_user(cls, login, name, lessor):
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="base.group_portal",
            email=f"{login}@lessor.example",
        )
        user.partner_id.parent_id = lessor
        return user

    def _get(self, url, login=None):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, login, data, files=None):
        self.authenticate(login, login)
        page = self.url_open("/my/account")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(
            url, data=dict(data, csrf_token=csrf), files=files, allow_redirects=False
        )
