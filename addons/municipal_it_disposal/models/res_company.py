# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

WIPE_LEVELS = [("clear", "Clear"), ("purge", "Purge"), ("destroy", "Destroy")]


class ResCompany(models.Model):
    _inherit = "res.company"

    it_disposal_receipt_days = fields.Integer(
        string="Receipt Deadline (days)",
        default=10,
        help="Days from pickup by which the recipient must confirm the receipt "
        "of every device of a crate; the responsible is reminded after that.",
    )
    it_disposal_escalation_days = fields.Integer(
        string="Escalation After (days)",
        default=10,
        help="Further days after the receipt deadline after which the IT "
        "manager is asked to act.",
    )
    it_disposal_manager_id = fields.Many2one(
        comodel_name="res.users",
        string="IT Manager",
        help="Receives the escalated overdue receipts.",
    )
    it_disposal_wipe_level = fields.Selection(
        selection=WIPE_LEVELS,
        string="Required Wipe Level",
        default="purge",
        required=True,
        help="Sanitization level (NIST SP 800-88) that every storage medium "
        "needs before its device may be disposed or remarketed, unless the "
        "device asks for more.",
    )
    it_disposal_journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Settlement Journal",
        domain="[('type', '=', 'purchase'), ('company_id', '=', id)]",
        help="Purchase journal of the lessor's credit notes and damage bills.",
    )
    it_disposal_residual_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Residual Value Account",
        help="Account of the credit note lines: the residual or remarketing "
        "value the recipient pays back.",
    )
    it_disposal_damage_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Damage Charge Account",
        help="Account of the vendor bill lines charging damage on returned devices.",
    )
