# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.chatter import log_note
from odoo.addons.municipal_it_lease.tools.fileparse import read_table, shown_errors
from odoo.addons.municipal_it_lease.tools.serial import serial_problem
from odoo.addons.municipal_it_lease.tools.spreadsheet import (
    find_columns,
    normalize_header,
)

# The cells read from each row of the file.
CELLS = ("order", "product", "serial", "mac", "imei")


def _cell(values, columns, key):
    """The cell of column ``key`` in the row ``values``, or "" (fileparse's
    read_table has stripped every cell)."""
    index = columns.get(key)
    return values[index] if index is not None and index < len(values) else ""


class ItReceiptSerialImport(models.TransientModel):
    """Put the serial numbers of the reseller's delivery file on a receipt:
    all rows or none, each bad row named."""

    _name = "it.receipt.serial.import"
    _description = "Import Serial Numbers onto a Receipt"

    picking_id = fields.Many2one(
        comodel_name="stock.picking", string="Receipt", required=True
    )
    file = fields.Binary(string="Delivery File", required=True)
    filename = fields.Char()

    def _get_columns(self):
        _ = self.env._
        return {
            "order": (
                _("order reference"),
                ("Order reference", "Order", "Order number", "Ordernummer", "Ordernr",
                 "Beställning", "Purchase order", "PO"),
            ),
            "product": (
                _("product code"),
                ("Product code", "Product", "Article number", "Artikelnummer",
                 "Artikelnr", "Produktkod", "SKU", "Internal reference"),
            ),
            "serial": (
                _("serial number"),
                ("Serial number", "Serial", "Serienummer", "Serienr", "SN"),
            ),
        }  # fmt: skip

    def _get_optional_columns(self):
        return {
            "mac": ("MAC", "MAC address", "MAC-adress", "MAC adress"),
            "imei": ("IMEI",),
        }

    def action_import(self):
        """Check every row, then write the serial numbers on the receipt's
        moves; one bad row refuses the whole file."""
        self.ensure_one()
        picking = self.picking_id
        if picking.state in ("draft", "done", "cancel"):
            raise UserError(
                self.env._(
                    "%(picking)s is not waiting for goods: serial numbers are "
                    "imported onto a ready receipt.",
                    picking=picking.display_name,
                )
            )
        rows = read_table(base64.b64decode(self.file or b""), self.env)
        header_number, header = rows[0]
        columns = find_columns(header, self._get_columns(), self.env, header_number)
        normalized = [normalize_header(name) for name in header]
        for key, names in self._get_optional_columns().items():
            accepted = {normalize_header(name) for name in names}
            index = next((i for i, n in enumerate(normalized) if n in accepted), None)
            if index is not None:
                columns[key] = index
        data, errors = self._check_rows(picking, rows[1:], columns)
        if errors:
            raise UserError(
                self.env._(
                    "Nothing was imported: the file %(file)s has errors.\n%(errors)s",
                    file=self.filename or "",
                    errors="\n".join(shown_errors(self.env, errors)),
                )
            )
        for move, field_data in data.items():
            move.move_line_ids.filtered(
                lambda ml: not ml.lot_id and not ml.lot_name
            ).unlink()
            move.move_line_ids = move._generate_serial_move_line_commands(
                field_data, location_dest_id=move.location_dest_id
            )
        log_note(
            picking,
            body=self.env._(
                "%(count)s serial numbers imported from %(file)s.",
                count=sum(len(values) for values in data.values()),
                file=self.filename or self.env._("the delivery file"),
            ),
        )
        return {"type": "ir.actions.act_window_close"}

    def _check_rows(self, picking, rows, columns):
        """({move: [move line values]}, [row errors]) of the file's rows."""
        _ = self.env._
        Equipment = self.env["maintenance.equipment"]
        by_code = self._get_awaited_moves(picking)
        order_refs = {
            ref.strip().casefold()
            for ref in (picking.purchase_id.name, picking.origin)
            if ref
        }
        on_receipt = {
            Equipment._normalize_serial(ml.lot_id.name or ml.lot_name)
            for ml in picking.move_line_ids
            if ml.lot_id or ml.lot_name
        }
        data, errors, seen = defaultdict(list), [], {}
        for number, values in rows:
            cells = {key: _cell(values, columns, key) for key in CELLS}
            serial = cells["serial"]
            key = Equipment._normalize_serial(serial)
            error = self._row_problem(picking, number, cells, order_refs, by_code)
            if not error and key in seen:
                error = _(
                    "Row %(row)s: serial number %(serial)s is already on row "
                    "%(other)s.",
                    row=number,
                    serial=serial,
                    other=seen[key],
                )
            elif not error:
                seen[key] = number
                if key in on_receipt:
                    error = _(
                        "Row %(row)s: serial number %(serial)s is already on this "
                        "receipt.",
                        row=number,
                        serial=serial,
                    )
            if error:
                errors.append(error)
                continue
            data[by_code[cells["product"].casefold()]].append(
                {
                    "lot_name": serial,
                    "quantity": 1,
                    "it_mac_address": cells["mac"] or False,
                    "it_imei": cells["imei"] or False,
                }
            )
        errors += self._check_register(picking, seen)
        errors += self._check_quantities(data)
        return data, errors

    def _get_awaited_moves(self, picking):
        """{product code or barcode, case-folded: move} of the IT devices
        that ``picking`` still awaits."""
        moves = picking.move_ids.filtered(
            lambda m: m.state not in ("done", "cancel")
        )._filter_it_device_receipts()
        by_code = {}
        for move in moves:
            for code in (move.product_id.default_code, move.product_id.barcode):
                if code:
                    by_code.setdefault(code.strip().casefold(), move)
        return by_code

    def _row_problem(self, picking, number, cells, order_refs, by_code):
        """The error of row ``number`` (its ``cells``) on its own, or None:
        another order, a product not awaited, a missing or refused serial."""
        _ = self.env._
        order_ref, code, serial = cells["order"], cells["product"], cells["serial"]
        if order_ref.casefold() not in order_refs:
            return _(
                "Row %(row)s: order reference %(ref)s is not the order of this "
                "receipt (%(order)s).",
                row=number,
                ref=order_ref or "-",
                order=picking.purchase_id.name or picking.origin or "-",
            )
        if code.casefold() not in by_code:
            return _(
                "Row %(row)s: product code %(code)s is not an IT device awaited on "
                "this receipt.",
                row=number,
                code=code or "-",
            )
        if not self.env["maintenance.equipment"]._normalize_serial(serial):
            return _("Row %(row)s: the serial number is empty.", row=number)
        # The one rule of every way a serial enters: no formula, no control
        # character (a newline inside a quoted cell included).
        problem = serial_problem(serial, self.env)
        if problem:
            return _("Row %(row)s: %(problem)s.", row=number, problem=problem)
        return None

    def _check_quantities(self, data):
        """Errors for the moves given more serial numbers than they await."""
        return [
            self.env._(
                "Product %(product)s: the file has %(count)s serial numbers but "
                "the receipt awaits %(qty)s.",
                product=move.product_id.display_name,
                count=len(field_data),
                qty=int(move.product_uom_qty),
            )
            for move, field_data in data.items()
            if len(field_data) > move.product_uom_qty
        ]

    def _check_register(self, picking, serial_rows):
        """Errors for the serial numbers ({normalized: row}) that a device of
        the register already has."""
        devices = (
            self.env["maintenance.equipment"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("serial_no_normalized", "in", list(serial_rows)),
                    ("company_id", "=", picking.company_id.id),
                ]
            )
        )
        return [
            self.env._(
                "Row %(row)s: serial number %(serial)s is already in the register "
                "as device %(device)s.",
                row=serial_rows[device.serial_no_normalized],
                serial=device.serial_no,
                device=device.display_name,
            )
            for device in devices.sorted(lambda d: serial_rows[d.serial_no_normalized])
            if not any(
                device._is_it_returned_to_vendor(product)
                for product in picking.move_ids.product_id
            )
        ]
