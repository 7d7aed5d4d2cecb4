# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    it_is_device = fields.Boolean(
        string="IT Device",
        help="Each received serial number of this product becomes a device of "
        "the IT register; its order lines need an activity code.",
    )
    it_device_category = fields.Selection(
        selection="_selection_it_device_category",
        string="Device Type",
    )
    it_model = fields.Char(
        string="Device Model",
        help="Make and model written on the device, e.g. Dell Latitude 5450.",
    )
    it_lifetime_months = fields.Integer(
        string="Expected Lifetime (months)",
        default=60,
    )
    it_lease_term_months = fields.Integer(
        string="Default Lease Term (months)",
        default=36,
        help="Term of the lease when the device is financed by a lessor; picks "
        "the lessor's rate.",
    )
    it_warranty_months = fields.Integer(
        string="Warranty (months)",
        default=36,
        help="The warranty end of a received device is its receipt date plus "
        "these months.",
    )
    it_refurbished = fields.Boolean(
        string="Refurbished",
        help="Devices of this product are refurbished, whoever sells them.",
    )

    @api.model
    def _selection_it_device_category(self):
        return self.env["maintenance.equipment"]._fields["device_category"].selection

    @api.constrains("it_is_device", "is_storable", "tracking", "it_device_category")
    def _check_it_device(self):
        for template in self.filtered("it_is_device"):
            if not template.is_storable or template.tracking != "serial":
                raise ValidationError(
                    self.env._(
                        "Product %(product)s is an IT device: it must be tracked "
                        "in stock by serial number.",
                        product=template.display_name,
                    )
                )
            if not template.it_device_category:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s is an IT device: give its device type.",
                        product=template.display_name,
                    )
                )

    @api.constrains("it_lease_term_months", "it_lifetime_months", "it_warranty_months")
    def _check_it_months(self):
        for template in self:
            if (
                min(
                    template.it_lease_term_months,
                    template.it_lifetime_months,
                    template.it_warranty_months,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: lease term, lifetime and warranty "
                        "cannot be negative.",
                        product=template.display_name,
                    )
                )

    @api.onchange("it_is_device")
    def _onchange_it_is_device(self):
        if self.it_is_device:
            self.type = "consu"
            self.is_storable = True
            self.tracking = "serial"
