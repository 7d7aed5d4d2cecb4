# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ItPurchaseCommon


@tagged("post_install", "-at_install")
class TestProduct(ItPurchaseCommon):
    def test_it_device_tracked_by_serial(self):
        with self.assertRaisesRegex(ValidationError, "tracked in stock by serial"):
            self.env["product.product"].create(
                {
                    "name": "Dator utan serienummer",
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "lot",
                    "it_is_device": True,
                    "it_device_category": "laptop",
                }
            )
        with self.assertRaisesRegex(ValidationError, "give its device type"):
            self._create_device_product("Okänd", "UNK", False)

    def test_form_sets_tracking(self):
        form = Form(self.env["product.template"])
        form.name = "Mobiltelefon"
        form.it_is_device = True
        form.it_device_category = "phone"
        template = form.save()
        self.assertTrue(template.is_storable)
        self.assertEqual(template.tracking, "serial")
