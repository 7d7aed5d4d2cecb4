# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.municipal_it_lease.tools.chatter import log_note


class MaintenanceEquipment(models.Model):
    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "it.system.fields.mixin"]

    # Written by the receipt of a device and by its return to the vendor
    # (stock.move): where it came from, how it is financed (billed, or on the
    # lessor's schedule).
    it_purchase_line_id = fields.Many2one(
        comodel_name="purchase.order.line",
        string="Purchase Order Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        it_system=True,
    )
    it_purchase_id = fields.Many2one(
        comodel_name="purchase.order",
        string="Purchase Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        it_system=True,
    )
    it_receipt_picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Receipt",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        it_system=True,
    )
    it_receipt_date = fields.Date(
        string="Received On", readonly=True, copy=False, it_system=True
    )
    it_return_picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Returned to Vendor With",
        readonly=True,
        copy=False,
        ondelete="set null",
        tracking=True,
        it_system=True,
    )
    it_financing = fields.Selection(
        selection=[("bought", "Bought"), ("lessor", "Financed by lessor")],
        string="Financing",
        readonly=True,
        copy=False,
        it_system=True,
    )
    it_mac_address = fields.Char(string="MAC Address", copy=False)
    it_imei = fields.Char(string="IMEI", copy=False)

    def write(self, vals):
        self._check_it_returned_to_vendor_state(vals)
        return super().write(vals)

    def _check_it_returned_to_vendor_state(self, vals):
        """A device returned to the vendor stays Returned: it comes back only
        with a receipt of its serial number, which unlinks its return in the
        same write (and which only the receipt may)."""
        state = vals.get("lifecycle_state")
        if (
            not state
            or state == "returned"
            or ("it_return_picking_id" in vals and not vals["it_return_picking_id"])
        ):
            return
        for device in self:
            if device.it_return_picking_id and device.lifecycle_state == "returned":
                raise UserError(
                    self.env._(
                        "Device %(device)s was returned to the vendor with "
                        "%(picking)s: it is back in stock only when a receipt "
                        "brings its serial number in again.",
                        device=device.display_name,
                        picking=device.it_return_picking_id.sudo().display_name,
                    )
                )

    def _is_it_returned_to_vendor(self, product):
        """Whether this device of ``product`` went back to the vendor, so that
        receiving its serial again brings it back (under the same lot)."""
        self.ensure_one()
        return bool(
            self.lot_id
            and self.lot_id.product_id == product
            and self.it_return_picking_id
            and self.lifecycle_state == "returned"
        )

    def _mark_it_returned_to_vendor(self, picking):
        """Returned to the vendor with ``picking``: status returned, and off
        the draft lease schedules it was put on at receipt."""
        if not self:
            return
        self.sudo().write(
            {"lifecycle_state": "returned", "it_return_picking_id": picking.id}
        )
        for device in self:
            log_note(
                device,
                body=self.env._(
                    "Returned to the vendor with %(picking)s.",
                    picking=picking.display_name,
                ),
            )
        draft_lines = self.lease_line_ids.filtered(
            lambda line: line.schedule_id.state == "draft"
        )
        schedules = draft_lines.schedule_id
        draft_lines.unlink()
        schedules._update_it_fair_value()

    def _join_it_lease_schedule(self):
        """Put financed devices on the draft lease schedule of their lessor
        for the month of receipt, with the rent of the lessor's rate card
        (or 0, for the lessor's annex to fill)."""
        Schedule = self.env["it.lease.schedule"].sudo()
        groups = defaultdict(lambda: self.browse())
        for device in self:
            line = device.it_purchase_line_id
            month = device.it_receipt_date.replace(day=1)
            groups[(line.it_lessor_id, device.company_id, month)] |= device
        lines_vals = []
        schedules = Schedule
        for (lessor, company, month), devices in groups.items():
            products = devices.product_id
            term = max(products.mapped("it_lease_term_months") or [36]) or 36
            schedule = Schedule._get_it_receipt_schedule(lessor, company, month, term)
            schedules |= schedule
            rates = self.env["it.lease.rate"].sudo()._get_rates(company, lessor)
            for device in devices:
                rate = rates.get(
                    (
                        lessor.id,
                        device.device_category,
                        device.product_id.it_lease_term_months,
                    )
                )
                lines_vals.append(
                    {
                        "schedule_id": schedule.id,
                        "equipment_id": device.id,
                        "monthly_rent": rate._compute_rent(device.cost)
                        if rate
                        else 0.0,
                    }
                )
        self.env["it.lease.line"].sudo().create(lines_vals)
        schedules._update_it_fair_value()
