# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.tests import Form, tagged

from .common_remap import ItRemapCommon


@tagged("post_install", "-at_install")
class TestCodeChangeWizard(ItRemapCommon):
    def _wizard(self, devices, code, effective_date, user=None):
        Wizard = self.env["it.activity.code.change"].with_user(user or self.it_manager)
        form = Form(
            Wizard.with_context(
                active_model="maintenance.equipment", active_ids=devices.ids
            )
        )
        form.activity_code_id = code
        form.effective_date = effective_date
        return form.save()

    def test_selected_devices_move_from_the_date(self):
        new_device = self._create_device("RM-NEW")
        devices = self.school_device | self.care_device | new_device
        wizard = self._wizard(devices, self.code_it_unit, date(2027, 2, 1))
        self.assertEqual(wizard.device_count, 3)
        wizard.action_apply()
        self.assertEqual(
            self._codes(self.school_device),
            [("3200", False, date(2027, 1, 31)), ("9100", date(2027, 2, 1), False)],
        )
        self.assertEqual(
            self._codes(self.care_device)[-1], ("9100", date(2027, 2, 1), False)
        )
        # A device that never had a code gets it as its first, from the start.
        self.assertEqual(self._codes(new_device), [("9100", False, False)])
        # February is charged on the new code: 400.00 full month.
        run = self._run(date(2027, 2, 1))
        run.action_compute()
        self.assertEqual(self._charged(run, self.school_device), {"9100": 400.0})

    def test_other_devices_untouched(self):
        self._wizard(
            self.school_device, self.code_care, date(2027, 2, 1)
        ).action_apply()
        self.assertEqual(self._codes(self.care_device), [("4100", False, False)])

    def test_date_inside_a_posted_month_refused(self):
        self._run(date(2027, 1, 1)).action_post()
        wizard = self._wizard(self.school_device, self.code_care, date(2027, 1, 20))
        with self.assertUserErrorRollsBack("lies in a month already charged"):
            wizard.action_apply()
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])
