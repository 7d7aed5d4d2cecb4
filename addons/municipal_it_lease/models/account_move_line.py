# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    it_counterparty_code = fields.Char(
        string="Counterparty Code",
        help="Internal counterparty (motpart) of an internal charge, used to "
        "eliminate internal postings in external reporting.",
    )
