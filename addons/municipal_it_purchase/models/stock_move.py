# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

# How many duplicate serial numbers an error message lists at most.
MAX_LISTED = 10


class StockMove(models.Model):
    _inherit = "stock.move"

    def _filter_it_device_receipts(self):
        """Moves bringing IT devices in from a vendor."""
        return self.filtered(
            lambda move: (
                move.product_id.it_is_device
                and move.location_id.usage == "supplier"
                and move.location_dest_id.usage in ("internal", "transit")
            )
        )

    def _filter_it_device_returns(self):
        """Moves sending IT devices back to a vendor."""
        return self.filtered(
            lambda move: (
                move.product_id.it_is_device
                and move.location_dest_id.usage == "supplier"
                and move.location_id.usage in ("internal", "transit")
            )
        )

    def _check_it_within_attest(self):
        """Refuse receiving more of an IT order line than its attest approved
        while a raise of the order waits for its new attest."""
        received = {}
        for move in self.filtered("purchase_line_id"):
            line = move.purchase_line_id
            order = line.order_id
            if not order.it_is_it_order or order.validation_status == "validated":
                continue
            received.setdefault(line, line.qty_received)
            received[line] += move.product_uom._compute_quantity(
                move.quantity, line.product_uom
            )
        for line, qty in received.items():
            if (
                float_compare(
                    qty,
                    line.it_approved_qty,
                    precision_rounding=line.product_uom.rounding,
                )
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(order)s, line %(product)s: %(qty)s would be received "
                        "but only %(approved)s are approved. The rest waits for "
                        "the attest (waiting for %(reviewers)s).",
                        order=line.order_id.display_name,
                        product=line.product_id.display_name,
                        qty=qty,
                        approved=line.it_approved_qty,
                        reviewers=", ".join(
                            line.order_id.it_approver_ids.mapped("name")
                        )
                        or "-",
                    )
                )

    def _get_it_received_lines(self):
        return self.move_line_ids.filtered(
            lambda ml: ml.quantity and (ml.lot_id or ml.lot_name)
        )

    def _check_it_serials_free(self):
        """Refuse the receipt of a serial number that a device of the register
        already has (spaces and letter case do not count), naming the device.
        A device returned to the vendor comes back under its own serial."""
        Equipment = self.env["maintenance.equipment"]
        seen = {}
        for ml in self._get_it_received_lines():
            serial = ml.lot_id.name or ml.lot_name
            key = (ml.company_id.id, Equipment._normalize_serial(serial))
            if key in seen:
                raise ValidationError(
                    self.env._(
                        "%(picking)s receives serial number %(serial)s twice.",
                        picking=ml.picking_id.display_name,
                        serial=serial,
                    )
                )
            seen[key] = ml
        if not seen:
            return
        devices = (
            Equipment.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("serial_no_normalized", "in", [key[1] for key in seen]),
                    ("company_id", "in", list({key[0] for key in seen})),
                ]
            )
        )
        taken = []
        for device in devices:
            ml = seen.get((device.company_id.id, device.serial_no_normalized))
            if not ml or device._is_it_returned_to_vendor(ml.product_id):
                continue
            taken.append((ml, device))
        if taken:
            lines = [
                self.env._(
                    "- %(serial)s: device %(device)s",
                    serial=(ml.lot_id.name or ml.lot_name).strip(),
                    device=device.display_name,
                )
                for ml, device in taken[:MAX_LISTED]
            ]
            if len(taken) > MAX_LISTED:
                lines.append(
                    self.env._("(and %(count)s more)", count=len(taken) - MAX_LISTED)
                )
            raise ValidationError(
                self.env._(
                    "%(picking)s cannot be validated: these serial numbers are "
                    "already in the IT register:\n%(list)s",
                    picking=taken[0][0].picking_id.display_name,
                    list="\n".join(lines),
                )
            )

    def _register_it_devices(self):
        """One device per received serial, created in one batch; financed
        devices join the lessor's draft lease schedule of the month."""
        # The receipt (validated by its user) writes the devices' purchase
        # links, which only it and the return may.
        Equipment = self.env["maintenance.equipment"].sudo()
        move_lines = self._get_it_received_lines()
        if not move_lines:
            return Equipment
        # A serial that came back from the vendor revives its device.
        lots = move_lines.lot_id
        existing = {
            device.lot_id: device
            for device in Equipment.with_context(active_test=False).search(
                [("lot_id", "in", lots.ids)]
            )
        }
        prices = {}
        vals_list, revived = [], Equipment
        for ml in move_lines:
            line = ml.move_id.purchase_line_id
            if line not in prices:
                prices[line] = line._get_it_purchase_price() if line else 0.0
            vals = ml._prepare_it_device_vals(prices[line])
            device = existing.get(ml.lot_id)
            if device:
                device.write(dict(vals, it_return_picking_id=False))
                revived |= device
            else:
                vals_list.append(vals)
        devices = (
            # The receipt and the order say where a device came from: no
            # creation message or tracking per device.
            Equipment.with_context(tracking_disable=True).create(vals_list) | revived
        )
        # A revived device may still be on the lessor's running schedule.
        devices.filtered(
            lambda d: d.it_financing == "lessor" and not d.lease_line_id
        )._join_it_lease_schedule()
        return devices

    def _return_it_devices(self):
        """Mark the devices sent back to the vendor as returned, naming the
        return, and take them off draft lease schedules."""
        for picking, move_lines in (
            self.move_line_ids.filtered(lambda ml: ml.quantity and ml.lot_id)
            .grouped("picking_id")
            .items()
        ):
            devices = (
                self.env["maintenance.equipment"]
                .sudo()
                .search([("lot_id", "in", move_lines.lot_id.ids)])
            )
            devices._mark_it_returned_to_vendor(picking)
