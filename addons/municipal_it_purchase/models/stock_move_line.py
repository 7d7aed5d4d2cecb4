# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    it_mac_address = fields.Char(
        string="MAC Address", help="From the reseller's delivery file."
    )
    it_imei = fields.Char(string="IMEI", help="From the reseller's delivery file.")

    def _prepare_it_device_vals(self, price):
        """Values of the device of this received serial; ``price`` is the
        unit purchase price in the company currency."""
        self.ensure_one()
        move = self.move_id
        product = move.product_id
        line = move.purchase_line_id
        order = line.order_id
        picking = self.picking_id
        vendor = (order.partner_id or picking.partner_id).commercial_partner_id
        received = fields.Date.context_today(
            self, picking.date_done or fields.Datetime.now()
        )
        refurbished = product.it_refurbished or vendor.it_refurbished_supplier
        financing = line.it_financing or "bought"
        return {
            "name": f"{product.name} ({self.lot_id.name})",
            "product_id": product.id,
            "model": product.it_model or product.name,
            "device_category": product.it_device_category,
            "serial_no": self.lot_id.name,
            "lot_id": self.lot_id.id,
            "company_id": move.company_id.id,
            "activity_code_id": line.it_activity_code_id.id,
            "reseller_id": vendor.id,
            "partner_id": vendor.id,
            "purchase_ref": order.name or picking.origin,
            "it_purchase_id": order.id,
            "it_purchase_line_id": line.id,
            "it_receipt_picking_id": picking.id,
            "it_receipt_date": received,
            "effective_date": received,
            "lifecycle_state": "in_stock",
            "acquisition_origin": "refurbished" if refurbished else "new",
            "cost": price,
            "warranty_date": product.it_warranty_months
            and received + relativedelta(months=product.it_warranty_months),
            "it_financing": financing,
            "is_owned": financing == "bought",
            "it_mac_address": self.it_mac_address,
            "it_imei": self.it_imei,
        }
