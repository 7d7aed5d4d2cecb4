# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSystemFieldsSetup(TransactionCase):
    """The fields declared ``it_system`` are found once, when the registry
    sets up a model's fields, not by walking the fields on every create and
    write (a device has some 150 fields)."""

    def test_declared_fields(self):
        self.assertEqual(
            self.env["it.charge.run"]._it_system_field_names(),
            {"state", "move_id", "cron_attempt_date"},
        )

    def test_every_model_of_the_mixin(self):
        """Each model of the mixin holds exactly the fields it declares, on
        its registry class, and hands out that same set on every call."""
        names = self.registry.descendants(["it.system.fields.mixin"], "_inherit")
        self.assertIn("maintenance.equipment", names)
        for name in names:
            with self.subTest(model=name):
                model = self.env[name]
                declared = {
                    fname
                    for fname, field in model._fields.items()
                    if getattr(field, "it_system", False)
                }
                found = model._it_system_field_names()
                self.assertEqual(found, declared)
                self.assertIs(found, self.registry[name]._it_system_fields)
                self.assertIs(model.sudo()._it_system_field_names(), found)
        self.assertIn(
            "lease_line_id",
            self.env["maintenance.equipment"]._it_system_field_names(),
        )
