# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    it_activity_code_plan_id = fields.Many2one(
        related="company_id.it_activity_code_plan_id",
        readonly=False,
    )
    it_charge_journal_id = fields.Many2one(
        related="company_id.it_charge_journal_id", readonly=False
    )
    it_charge_expense_account_id = fields.Many2one(
        related="company_id.it_charge_expense_account_id", readonly=False
    )
    it_charge_income_account_id = fields.Many2one(
        related="company_id.it_charge_income_account_id", readonly=False
    )
    it_charge_analytic_account_id = fields.Many2one(
        related="company_id.it_charge_analytic_account_id", readonly=False
    )
    it_charge_day = fields.Integer(related="company_id.it_charge_day", readonly=False)
    it_charge_month = fields.Selection(
        related="company_id.it_charge_month", readonly=False
    )
    it_charge_counterparty_code = fields.Char(
        related="company_id.it_charge_counterparty_code", readonly=False
    )
    it_lease_warning_days = fields.Char(
        related="company_id.it_lease_warning_days", readonly=False
    )
    it_buyout_account_id = fields.Many2one(
        related="company_id.it_buyout_account_id", readonly=False
    )
