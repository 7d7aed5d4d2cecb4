# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .account_analytic_plan import SIE_ALLOWED_DIMENSIONS

R5_RELIEF_SOURCE = (
    "Source: RKR R5 Leasing (Rådet för kommunal redovisning, 2019), which lets "
    "leases with a short term and leases of assets of low value be reported as "
    "operational leases. Use the limits your municipality has adopted."
)


class ResCompany(models.Model):
    _inherit = "res.company"

    it_r5_relief_max_months = fields.Integer(
        string="R5 Relief: Maximum Term (months)",
        help="Leases whose term is at most this many months are reported as "
        "operational in the R5 note. 0 = the relief is off. " + R5_RELIEF_SOURCE,
    )
    it_r5_relief_value_threshold = fields.Monetary(
        string="R5 Relief: Low-Value Threshold",
        currency_field="currency_id",
        help="Leases whose fair value per device is at most this amount are "
        "reported as operational in the R5 note. 0 = the relief is off. "
        + R5_RELIEF_SOURCE,
    )
    it_return_fee = fields.Monetary(
        string="Return Fee per Device",
        currency_field="currency_id",
        help="What the lessor charges for taking a device back (transport, "
        "wiping), per device; used by the end-of-lease decision aid.",
    )
    it_expected_damage_charge = fields.Monetary(
        string="Expected Damage Charge per Device",
        currency_field="currency_id",
        help="Average damage charge per returned device, from the lessor's "
        "past gradings; used by the end-of-lease decision aid.",
    )
    it_extension_rent_percent = fields.Float(
        string="Extension Rent (% of Rent)",
        default=60.0,
        help="Rate card: the monthly rent of an extension as a share of the "
        "running rent, used when no rent has been offered.",
    )
    # SIE has no dimension of its own for a motpart: the receiving finance
    # system decides which one it reads it from. 20 is the first free one.
    it_sie_counterparty_dimension = fields.Integer(
        string="SIE Dimension of the Counterparty Code",
        default=20,
        help="Dimension number under which SIE exports write the counterparty "
        "code (motpart) of each journal item (#DIM, #OBJEKT and the object "
        "list of each #TRANS): 1, 2, 6 or 20 and up, as your finance system "
        "reads it. 0 = the counterparty code is not exported.",
    )

    @api.constrains("it_sie_counterparty_dimension")
    def _check_it_sie_counterparty_dimension(self):
        for company in self:
            number = company.it_sie_counterparty_dimension
            if number < 0 or (
                number and number not in SIE_ALLOWED_DIMENSIONS and number < 20
            ):
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: %(number)s cannot be the SIE dimension "
                        "of the counterparty code (the SIE format reserves it); "
                        "use 1, 2, 6, a number of 20 or more, or 0 to leave the "
                        "counterparty code out.",
                        company=company.name,
                        number=number,
                    )
                )
