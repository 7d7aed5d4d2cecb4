# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    it_report_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Reporting Currency"
    )
    it_r5_relief_max_months = fields.Integer(
        related="company_id.it_r5_relief_max_months", readonly=False
    )
    it_r5_relief_value_threshold = fields.Monetary(
        related="company_id.it_r5_relief_value_threshold",
        currency_field="it_report_currency_id",
        readonly=False,
    )
    it_return_fee = fields.Monetary(
        related="company_id.it_return_fee",
        currency_field="it_report_currency_id",
        readonly=False,
    )
    it_expected_damage_charge = fields.Monetary(
        related="company_id.it_expected_damage_charge",
        currency_field="it_report_currency_id",
        readonly=False,
    )
    it_extension_rent_percent = fields.Float(
        related="company_id.it_extension_rent_percent", readonly=False
    )
    it_sie_counterparty_dimension = fields.Integer(
        related="company_id.it_sie_counterparty_dimension", readonly=False
    )
