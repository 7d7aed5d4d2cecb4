# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    it_disposal_receipt_days = fields.Integer(
        related="company_id.it_disposal_receipt_days", readonly=False
    )
    it_disposal_escalation_days = fields.Integer(
        related="company_id.it_disposal_escalation_days", readonly=False
    )
    it_disposal_manager_id = fields.Many2one(
        related="company_id.it_disposal_manager_id", readonly=False
    )
    it_disposal_wipe_level = fields.Selection(
        related="company_id.it_disposal_wipe_level", readonly=False
    )
    it_disposal_journal_id = fields.Many2one(
        related="company_id.it_disposal_journal_id", readonly=False
    )
    it_disposal_residual_account_id = fields.Many2one(
        related="company_id.it_disposal_residual_account_id", readonly=False
    )
    it_disposal_damage_account_id = fields.Many2one(
        related="company_id.it_disposal_damage_account_id", readonly=False
    )
