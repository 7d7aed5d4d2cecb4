# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import fields, models

from odoo.addons.municipal_it_lease.tools.chatter import log_note


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    it_purchase_line_id = fields.Many2one(
        comodel_name="purchase.order.line",
        string="Purchase Order Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    it_purchase_id = fields.Many2one(
        comodel_name="purchase.order",
        string="Purchase Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    it_receipt_picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Receipt",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    it_receipt_date = fields.Date(string="Received On", readonly=True, copy=False)
    it_return_picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Returned to Vendor With",
        readonly=True,
        copy=False,
        ondelete="set null",
        tracking=True,
    )
    it_financing = fields.Selection(
        selection=[("bought", "Bought"), ("lessor", "Financed by lessor")],
        string="Financing",
        readonly=True,
        copy=False,
    )
    it_mac_address = fields.Char(string="MAC Address", copy=False)
    it_imei = fields.Char(string="IMEI", copy=False)

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
        self.write({"lifecycle_state": "returned", "it_return_picking_id": picking.id})
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
