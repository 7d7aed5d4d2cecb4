# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(DisposalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Grannkommunen"})
        cls.other_device = cls.env["maintenance.equipment"].create(
            {
                "name": "Laptop GK-1",
                "serial_no": "GK-1",
                "company_id": cls.other_company.id,
            }
        )
        cls.other_user = new_test_user(
            cls.env,
            login="gk_user",
            groups="municipal_it_lease.municipal_it_lease_group_user",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )

    def test_device_of_another_company_not_found(self):
        batch = self._batch(devices=self.env["maintenance.equipment"])
        with self.assertRaisesRegex(UserError, "Not in the register: GK-1"):
            batch._add_serials("GK-1")

    def test_crates_and_certificates_hidden_from_another_company(self):
        batch = self._batch()
        report = self._certify_all(batch)
        Batch = self.env["it.disposal.batch"].with_user(self.other_user)
        self.assertFalse(Batch.search([("id", "=", batch.id)]))
        with self.assertRaises(AccessError):
            Batch.browse(batch.id).read(["name"])
        self.assertFalse(
            self.env["it.wipe.certificate"]
            .with_user(self.other_user)
            .search([("report_id", "=", report.id)])
        )

    def test_report_matches_only_in_its_company(self):
        report = self._import(self._csv([self._csv_row("GK-1", "GK-SSD-1")]), "gk.csv")
        self.assertFalse(report.certificate_ids.is_matched)
        self.assertFalse(self.other_device.storage_medium_ids)
