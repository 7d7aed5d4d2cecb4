# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ItLeaseRate(models.Model):
    """One row of a lessor's rate card: the monthly rent of a device type
    leased for a term, as a share of its price or a fixed amount."""

    _name = "it.lease.rate"
    _description = "IT Lease Rate Card Row"
    _order = "lessor_id, device_category, term_months"
    _check_company_auto = True

    lessor_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    device_category = fields.Selection(
        selection="_selection_device_category",
        string="Device Type",
        required=True,
    )
    term_months = fields.Integer(string="Term (months)", required=True, default=36)
    rate_type = fields.Selection(
        selection=[
            ("percent", "Percent of price per month"),
            ("fixed", "Fixed monthly rent"),
        ],
        string="Rent",
        required=True,
        default="percent",
    )
    rate_percent = fields.Float(
        string="Monthly Rate (%)",
        digits=(16, 4),
        help="Monthly rent as a percentage of the purchase price.",
    )
    fixed_rent = fields.Monetary(string="Fixed Monthly Rent")

    _sql_constraints = [
        (
            "rate_uniq",
            "unique(company_id, lessor_id, device_category, term_months)",
            "A lessor has one rate per device type and term.",
        ),
        (
            "term_positive",
            "CHECK(term_months > 0)",
            "The lease term must be at least one month.",
        ),
    ]

    @api.model
    def _selection_device_category(self):
        return self.env["maintenance.equipment"]._fields["device_category"].selection

    @api.constrains("rate_type", "rate_percent", "fixed_rent")
    def _check_rate(self):
        for rate in self:
            value = (
                rate.rate_percent if rate.rate_type == "percent" else rate.fixed_rent
            )
            if value <= 0:
                raise ValidationError(
                    self.env._(
                        "Rate card of %(lessor)s, %(type)s over %(term)s months: "
                        "the rent must be greater than zero.",
                        lessor=rate.lessor_id.display_name,
                        type=rate.device_category,
                        term=rate.term_months,
                    )
                )

    def _compute_rent(self, price):
        """Monthly rent of a device bought at ``price`` (company currency),
        rounded to the currency."""
        self.ensure_one()
        if self.rate_type == "fixed":
            return self.fixed_rent
        return self.currency_id.round(price * self.rate_percent / 100)

    @api.model
    def _get_rates(self, company, lessors):
        """{(lessor id, device type, term): rate} of ``lessors`` in ``company``."""
        rates = self.search(
            [("company_id", "=", company.id), ("lessor_id", "in", lessors.ids)]
        )
        return {
            (rate.lessor_id.id, rate.device_category, rate.term_months): rate
            for rate in rates
        }
