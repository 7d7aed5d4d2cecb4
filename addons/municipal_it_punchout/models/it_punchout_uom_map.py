# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItPunchoutUomMap(models.Model):
    _name = "it.punchout.uom.map"
    _description = "Punchout Unit Mapping"
    _order = "account_id, shop_unit"

    account_id = fields.Many2one(
        comodel_name="it.punchout.account",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True
    )
    shop_unit = fields.Char(
        required=True,
        help="The shop's unit code, e.g. EA, PCE or C62 (UN/ECE Rec. 20).",
    )
    uom_id = fields.Many2one(comodel_name="uom.uom", string="Unit", required=True)

    _sql_constraints = [
        (
            "shop_unit_uniq",
            "unique(account_id, shop_unit)",
            "A shop unit is mapped once per punchout account.",
        )
    ]
