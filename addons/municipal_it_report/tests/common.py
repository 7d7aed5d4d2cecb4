# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.addons.municipal_it_lease.tests.common import ItLeaseCommon


class ItReportCommon(ItLeaseCommon):
    """A laptop factor of the company's own (it wins over the seeded shared
    ones), a department and a product with its new reference price."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Factor = cls.env["it.co2e.factor"]
        cls.Entry = cls.env["it.co2e.entry"]
        cls.factor = cls.Factor.create(
            {
                "name": "Laptop test factor",
                "company_id": cls.company.id,
                "device_category": "laptop",
                "date_from": date(2020, 1, 1),
                "kg_manufacturing": 240.0,
                "kg_saving_reuse": 280.0,
                "buyer_share": 50.0,
                "service_life_months": 36,
                "source": "Test",
                "source_year": 2020,
            }
        )
        cls.department = cls.env["hr.department"].create({"name": "Skola"})
        cls.product = cls.env["product.product"].create(
            {"name": "EliteBook test", "it_new_reference_price": 12000.0}
        )

    @classmethod
    def _laptop(cls, serial, **values):
        return cls._create_device(
            serial,
            device_category="laptop",
            product_id=cls.product.id,
            department_id=cls.department.id,
            **values,
        )
