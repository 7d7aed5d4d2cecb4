# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io

import xlsxwriter

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ItSerialImportCommon


@tagged("post_install", "-at_install")
class TestSerialImport(ItSerialImportCommon):
    def _csv(self, *rows, header="Ordernummer;Artikelnummer;Serienummer;MAC-adress"):
        return "\n".join([header, *rows]).encode("utf-8-sig")

    def test_import_csv_then_validate(self):
        name = self.order.name
        self._import(
            self._csv(
                f"{name};LAP-14;CS-1;00:1A:2B:3C:4D:01",
                f"{name};lap-14;CS-2;00:1A:2B:3C:4D:02",
                f"{name};MON-24;CS-3;",
            )
        )
        self.assertEqual(self._serials(), ["CS-1", "CS-2", "CS-3"])
        self._validate(self.picking)
        devices = self.env["maintenance.equipment"].search(
            [("it_purchase_id", "=", self.order.id)], order="serial_no"
        )
        self.assertEqual(devices.mapped("serial_no"), ["CS-1", "CS-2", "CS-3"])
        self.assertEqual(devices[0].it_mac_address, "00:1A:2B:3C:4D:01")
        self.assertFalse(devices[2].it_mac_address)
        self.assertEqual(devices[2].product_id, self.monitor)

    def test_import_xlsx(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer)
        sheet = workbook.add_worksheet()
        rows = [
            ["Order reference", "Product code", "Serial number", "IMEI"],
            [self.order.name, "LAP-14", "XS-1", "356938035643809"],
            [self.order.name, "LAP-14", "XS-2", ""],
        ]
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
        workbook.close()
        self._import(buffer.getvalue(), "leverans.xlsx")
        self.assertEqual(self._serials(), ["XS-1", "XS-2"])
        line = self.picking.move_line_ids.filtered(lambda ml: ml.lot_name == "XS-1")
        self.assertEqual(line.it_imei, "356938035643809")

    def test_row_errors_import_nothing(self):
        self.env["maintenance.equipment"].create(
            {"name": "Befintlig dator", "serial_no": "EX-9"}
        )
        name = self.order.name
        content = self._csv(
            f"{name};LAP-14;OK-1;",  # row 2: fine
            "P99999;LAP-14;OK-2;",  # row 3: another order
            f"{name};XYZ;OK-3;",  # row 4: not on the receipt
            f"{name};LAP-14;;",  # row 5: no serial
            f"{name};MON-24;ok-1;",  # row 6: same as row 2
            f"{name};LAP-14;ex-9;",  # row 7: in the register
        )
        with self.assertRaises(UserError) as caught:
            self._import(content)
        message = str(caught.exception)
        self.assertIn("Row 3: order reference P99999", message)
        self.assertIn("Row 4: product code XYZ", message)
        self.assertIn("Row 5: the serial number is empty", message)
        self.assertIn("Row 6: serial number ok-1 is already on row 2", message)
        self.assertIn("Row 7: serial number EX-9 is already in the register", message)
        self.assertNotIn("Row 2", message)
        self.assertEqual(self._serials(), [])

    def test_formula_and_control_character_serials_refused(self):
        # A serial that would run as a spreadsheet formula, or that carries a
        # newline (a quoted cell), is refused with its row: the one rule of
        # every way a serial enters (serial_problem). Other control characters
        # refuse the whole file when it is read.
        name = self.order.name
        content = self._csv(
            f"{name};LAP-14;=HYPERLINK(1);",  # row 2
            f"{name};LAP-14;+46700;",  # row 3
            f"{name};MON-24;-SN1;",  # row 4
            # A newline inside a quoted cell: the row is numbered by the
            # file's line where it ends (6).
            f'{name};MON-24;"SN\nX";',
            f"{name};MON-24;@SUM;",  # row 7
        )
        with self.assertRaises(UserError) as caught:
            self._import(content)
        message = str(caught.exception)
        for row in (2, 3, 4, 7):
            self.assertRegex(message, f"Row {row}: .*spreadsheet formula")
        self.assertRegex(message, "Row 6: .*control character U\\+000A")
        self.assertEqual(self._serials(), [])

    def test_more_serials_than_awaited(self):
        name = self.order.name
        with self.assertRaisesRegex(
            UserError, "has 2 serial numbers but the receipt awaits 1"
        ):
            self._import(self._csv(f"{name};MON-24;M-1;", f"{name};MON-24;M-2;"))
        self.assertEqual(self._serials(), [])

    def test_broken_files_are_refused_with_their_row(self):
        # The delivery file is read as every other upload (fileparse): a
        # broken file is refused whole, naming the row, never a traceback.
        name = self.order.name
        cases = {
            "nul": (
                self._csv(f"{name};LAP-14;CS-1;", f"{name};LAP-14;C\x00S-2;"),
                "Row 3 contains a NUL byte",
            ),
            "control": (
                self._csv(f"{name};LAP-14;CS-1;", f"{name};LAP-14;CS\x1b-2;"),
                r"Row 3, column 3 \(Serienummer\): contains the control character U\+001B",
            ),
            "shifted": (
                self._csv(f"{name};LAP-14;CS-1;;extra"),
                "Row 2 has 5 columns but the header row has 4",
            ),
            "old excel": (
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
                r"old Excel 97-2003 \(.xls\) workbook",
            ),
            "not a workbook": (
                b"PK\x03\x04" + b"\x00garbage" * 8,
                "cannot be read as one",
            ),
        }
        for case, (content, message) in cases.items():
            with self.subTest(case), self.assertRaisesRegex(UserError, message):
                self._import(content)
        self.assertEqual(self._serials(), [])

    def test_missing_column(self):
        with self.assertRaisesRegex(UserError, "lacks the column"):
            self._import(self._csv(f"{self.order.name};LAP-14", header="Order;Product"))

    def test_odoo_import_serials_still_works(self):
        # Odoo's own "Import Serials" (paste a list) on the laptop move.
        move = self.picking.move_ids.filtered(lambda m: m.product_id == self.laptop)
        context = {
            "default_product_id": self.laptop.id,
            "default_tracking": "serial",
            "default_location_dest_id": move.location_dest_id.id,
            "default_quantity": 2,
        }
        vals_list = move.action_generate_lot_line_vals(
            context, "import", False, 0, "PA-1\nPA-2"
        )
        move.move_line_ids.unlink()
        # The web client gets many2one values as {"id", "display_name"}.
        move.move_line_ids = [
            (
                0,
                0,
                {
                    key: value["id"] if isinstance(value, dict) else value
                    for key, value in vals.items()
                },
            )
            for vals in vals_list
        ]
        self.picking.move_ids.filtered(lambda m: m != move).move_line_ids.unlink()
        self.picking.move_ids.picked = True
        self._validate(self.picking, backorder=False)
        devices = self.env["maintenance.equipment"].search(
            [("it_purchase_id", "=", self.order.id)]
        )
        self.assertEqual(sorted(devices.mapped("serial_no")), ["PA-1", "PA-2"])
