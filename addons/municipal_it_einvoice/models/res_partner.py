# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from ..tools.ubl import SERIAL_SOURCES


class ResPartner(models.Model):
    _inherit = "res.partner"

    it_einvoice_serial_source = fields.Selection(
        selection=SERIAL_SOURCES,
        string="E-Invoice Serial Number",
        default="auto",
        required=True,
        help="Where this lessor's e-invoice (Peppol BIS Billing 3.0) carries each "
        "device's serial number. Guess from the invoice: the invoiced object "
        "identifier on every line, else an item attribute named as the Serial "
        "Number Column, else an attached specification, else the seller's item "
        "identifier.",
    )
    it_einvoice_object_scheme = fields.Char(
        string="Object Identifier Scheme",
        help="The scheme (schemeID) of the invoiced object identifier (BT-128) "
        "that holds the serial number, when the lessor sends others too. Empty: "
        "any scheme.",
    )
