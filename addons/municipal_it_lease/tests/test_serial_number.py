# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import psycopg2

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ItLeaseCommon


@tagged("post_install", "-at_install")
class TestSerialNumber(ItLeaseCommon):
    def test_serial_trimmed_on_save(self):
        device = self._create_device("  PF3XK2  ")
        self.assertEqual(device.serial_no, "PF3XK2")
        self.assertEqual(device.serial_no_normalized, "pf3xk2")

    def test_duplicate_refused_after_trim_and_case_fold(self):
        self._create_device("PF3XK2", name="Laptop of Anna")
        with self.assertRaisesRegex(
            ValidationError, r"(?i)PF3XK2.*already used by device Laptop of Anna"
        ):
            self._create_device(" pf3xk2 ")

    def test_duplicate_refused_on_write(self):
        self._create_device("ABC-1", name="First")
        second = self._create_device("ABC-2")
        with self.assertRaisesRegex(ValidationError, "already used by device First"):
            second.serial_no = "abc-1"

    def test_duplicate_within_one_batch_refused(self):
        with self.assertRaisesRegex(ValidationError, "already used by device"):
            self.env["maintenance.equipment"].create(
                [
                    {"name": "A", "serial_no": "SAME-1"},
                    {"name": "B", "serial_no": "same-1"},
                ]
            )

    def test_archived_device_still_holds_its_serial(self):
        old = self._create_device("OLD-1", name="Old laptop")
        old.active = False
        with self.assertRaisesRegex(ValidationError, "Old laptop"):
            self._create_device("OLD-1")

    def test_same_serial_allowed_in_another_company(self):
        other_company = self.env["res.company"].create({"name": "Grannkommunen"})
        self._create_device("SHARED-1")
        device = self._create_device("SHARED-1", company_id=other_company.id)
        self.assertEqual(device.company_id, other_company)

    def test_devices_without_serial_do_not_clash(self):
        devices = self.env["maintenance.equipment"].create(
            [{"name": "No serial 1"}, {"name": "No serial 2", "serial_no": "  "}]
        )
        self.assertFalse(any(devices.mapped("serial_no_normalized")))

    def test_database_refuses_duplicates_at_commit(self):
        # The Python check can be bypassed by raw SQL or a concurrent
        # transaction; the deferred constraint still holds when checked.
        first = self._create_device("DB-1")
        second = self._create_device("DB-2")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE maintenance_equipment SET serial_no_normalized = %s WHERE id = %s",
            [first.serial_no_normalized, second.id],
        )
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def test_name_search_finds_device_by_serial(self):
        device = self._create_device("FIND-ME-9")
        found = self.env["maintenance.equipment"].name_search("FIND-ME-9", operator="=")
        self.assertEqual([row[0] for row in found], [device.id])

    def test_formula_and_line_break_refused_by_the_one_rule(self):
        """The register refuses what every file reader refuses
        (``serial_problem``): a leading = + - @ and a control character,
        a line break or a tab inside included, on create and on write."""
        device = self._create_device("OK-1", name="Laptop of Eva")
        for serial, regex in (
            ("=1+1", "looks like a spreadsheet formula"),
            ("+4670123", "looks like a spreadsheet formula"),
            ("-SN-1", "looks like a spreadsheet formula"),
            ("@SUM(A1)", "looks like a spreadsheet formula"),
            ("SN\n1", r"control character U\+000A"),
            ("SN\t1", r"control character U\+0009"),
        ):
            with self.subTest(serial=serial):
                with self.assertRaisesRegex(ValidationError, regex):
                    self._create_device(serial)
                with self.assertRaisesRegex(
                    ValidationError, f"Device Laptop of Eva: .*{regex}"
                ):
                    device.with_user(self.it_user).serial_no = serial
        self.assertEqual(device.serial_no, "OK-1")
