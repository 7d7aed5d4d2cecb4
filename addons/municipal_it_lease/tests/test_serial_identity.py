# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..tools.serial import clean_serial, serial_key
from .common import ItLeaseCommon

# Each of these is the device registered as DEMO-1-0001, typed or pasted
# differently.
SAME_DEVICE = [
    "DEMO -1-0001",  # inner space
    "DEMO-1-\uff10\uff10\uff10\uff11",  # full-width digits
    "DEMO-1-0001\u200b",  # zero-width space
    "\ufeffDEMO-1-0001",  # byte order mark pasted from a file
    "DEMO-1-\u20600001",  # word joiner
    "demo-1-0001",  # case
    "DEMO-1-0001\t",  # tab
    "DEMO\u00a0-1-0001",  # non-breaking space
    "\uff24\uff25\uff2d\uff2f-1-0001",  # full-width letters
    "DEMO-1-0001\u200e",  # left-to-right mark
]


@tagged("post_install", "-at_install")
class TestSerialIdentity(ItLeaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls._create_device("DEMO-1-0001", name="Laptop of Eva")

    def test_key_of_every_variant_is_the_same(self):
        for variant in SAME_DEVICE:
            with self.subTest(variant=variant):
                self.assertEqual(serial_key(variant), "demo-1-0001")

    def test_every_variant_refused_as_a_new_device(self):
        for variant in SAME_DEVICE:
            with (
                self.subTest(variant=variant),
                self.assertRaisesRegex(
                    ValidationError, "already used by device Laptop of Eva"
                ),
            ):
                self._create_device(variant)

    def test_every_variant_finds_the_device(self):
        Equipment = self.env["maintenance.equipment"].with_user(self.it_user)
        for variant in SAME_DEVICE:
            with self.subTest(variant=variant):
                found = Equipment.name_search(variant, operator="=")
                self.assertEqual([row[0] for row in found], [self.device.id])
                found = Equipment.search([("display_name", "ilike", variant)])
                self.assertEqual(found, self.device)

    def test_serial_lookup_finds_by_key_only(self):
        """The integration's way to find devices by serial: every variant
        finds the device, exactly or in a list; nothing else matches."""
        other = self._create_device("DEMO-1-0002", name="Laptop of Per")
        Equipment = self.env["maintenance.equipment"].with_user(self.it_user)
        for variant in SAME_DEVICE:
            with self.subTest(variant=variant):
                self.assertEqual(
                    Equipment.search([("serial_lookup", "=", variant)]), self.device
                )
        found = Equipment.search(
            [("serial_lookup", "in", ["demo-1-0001", " DEMO-1-0002 ", "NOPE-1"])]
        )
        self.assertEqual(found, self.device | other)
        # "demo 1-000" is a part of both keys; "Laptop" is a name, not a serial.
        self.assertEqual(
            Equipment.search([("serial_lookup", "ilike", "DEMO-1-000")]),
            self.device | other,
        )
        self.assertFalse(Equipment.search([("serial_lookup", "ilike", "Laptop")]))
        # Nothing left once normalized (only spaces): finds nothing, and its
        # negation does not hide any device.
        self.assertFalse(Equipment.search([("serial_lookup", "=", " \u200b ")]))
        self.assertEqual(
            Equipment.search(
                [("serial_lookup", "!=", "  "), ("id", "in", (self.device | other).ids)]
            ),
            self.device | other,
        )
        self.assertEqual(
            Equipment.search(
                [
                    ("serial_lookup", "!=", "demo-1-0001"),
                    ("id", "in", (self.device | other).ids),
                ]
            ),
            other,
        )
        self.assertEqual(self.device.serial_lookup, "DEMO-1-0001")
        # A number sent for a serial is compared as its text; an operator
        # that makes no sense for a serial is refused in words.
        numeric = self._create_device("123456", name="Phone 123456")
        self.assertEqual(Equipment.search([("serial_lookup", "=", 123456)]), numeric)
        self.assertEqual(
            Equipment.search([("serial_lookup", "in", [123456, None, ""])]), numeric
        )
        with self.assertRaisesRegex(UserError, "cannot be searched with the operator"):
            Equipment.search([("serial_lookup", "=ilike", "demo%")])

    def test_part_of_a_serial_finds_the_device(self):
        found = self.env["maintenance.equipment"].search(
            [("display_name", "ilike", "1-\uff10\uff10\uff10")]
        )
        self.assertEqual(found, self.device)

    def test_invisible_characters_removed_from_the_stored_serial(self):
        device = self._create_device("\u200bPF-\uff19\uff19\u200d ")
        # Full-width 99 -> 99 (NFKC), zero-width space/joiner gone, trimmed.
        self.assertEqual(device.serial_no, "PF-99")
        self.assertEqual(device.serial_no_normalized, "pf-99")

    def test_control_character_refused_with_its_code(self):
        for serial, code in (("AB\x00C", "U+0000"), ("AB\x1bC", "U+001B")):
            with (
                self.subTest(code=code),
                self.assertRaisesRegex(
                    ValidationError, rf"control character U\+{code[2:]}.*type the"
                ),
            ):
                self._create_device(serial)

    def test_control_character_refused_on_write(self):
        with self.assertRaisesRegex(ValidationError, r"Laptop of Eva.*U\+0007"):
            self.device.serial_no = "DEMO-1-0002\x07"

    def test_clean_serial_keeps_inner_spaces(self):
        self.assertEqual(clean_serial(" AB 12 "), "AB 12")

    def test_reconciliation_matches_variant_serials(self):
        key = self.env["maintenance.equipment"]._normalize_serial
        self.assertEqual(key("DEMO-1-\uff10\uff10\uff10\uff11"), "demo-1-0001")
        self.assertFalse(key(" \u200b "))
