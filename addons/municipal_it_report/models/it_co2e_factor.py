# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

DEVICE_CATEGORIES = [
    ("laptop", "Laptop"),
    ("desktop", "Desktop"),
    ("monitor", "Monitor"),
    ("tablet", "Tablet"),
    ("phone", "Phone"),
    ("other", "Other"),
]

# Figures that entries are computed from: once an entry uses the factor they
# are frozen, and a changed figure is a new version.
FACTOR_FIGURES = (
    "device_category",
    "kg_manufacturing",
    "kg_saving_reuse",
    "buyer_share",
    "service_life_months",
    "date_from",
)


class ItCo2eFactor(models.Model):
    """kg CO2e per device type, with its source: what a new unit emits in
    manufacturing and what reusing one unit saves, split between seller and
    buyer. Versioned: a factor used by the ledger is never edited."""

    _name = "it.co2e.factor"
    _description = "CO2e Factor"
    _order = "device_category, date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company",
        help="Empty: the factor is shared by every company.",
    )
    device_category = fields.Selection(
        selection=DEVICE_CATEGORIES, string="Device Type", required=True
    )
    date_from = fields.Date(
        string="Valid From",
        required=True,
        help="Events on or after this date use this version (the latest one "
        "valid on the event's date).",
    )
    kg_manufacturing = fields.Float(
        string="Manufacturing of a New Unit (kg CO2e)",
        digits=(16, 4),
        help="Emissions of making one new unit; an extension avoids a share of it.",
    )
    kg_saving_reuse = fields.Float(
        string="Saving per Reused Unit (kg CO2e)",
        digits=(16, 4),
        help="Emissions avoided when one unit is reused instead of a new one "
        "being made (seller's and buyer's shares together).",
    )
    buyer_share = fields.Float(
        string="Buyer's Share (%)",
        default=50.0,
        digits=(16, 4),
        help="Share of the reuse saving counted by the buyer of the refurbished "
        "unit; the seller (the lessor remarketing it) counts the rest.",
    )
    seller_share = fields.Float(
        string="Seller's Share (%)", compute="_compute_seller_share", digits=(16, 4)
    )
    service_life_months = fields.Integer(
        string="Service Life (months)",
        default=36,
        help="Months a new unit serves; extending a lease by N months avoids "
        "N / service life of a new unit's manufacturing.",
    )
    source = fields.Char(required=True, help="Publication the figures come from.")
    source_year = fields.Integer(string="Year", required=True)
    method = fields.Text(
        help="How the figures were computed (boundaries, what is displaced)."
    )
    entry_count = fields.Integer(compute="_compute_entry_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "buyer_share_range",
            "CHECK(buyer_share >= 0 AND buyer_share <= 100)",
            "The buyer's share is a percentage between 0 and 100.",
        ),
        (
            "figures_positive",
            (
                "CHECK(kg_manufacturing >= 0 AND kg_saving_reuse >= 0 "
                "AND service_life_months > 0)"
            ),
            (
                "CO2e figures cannot be negative and the service life must be "
                "at least one month."
            ),
        ),
    ]

    @api.depends("buyer_share")
    def _compute_seller_share(self):
        for factor in self:
            factor.seller_share = 100.0 - factor.buyer_share

    def _compute_entry_count(self):
        counts = dict(
            self.env["it.co2e.entry"]
            .sudo()
            ._read_group([("factor_id", "in", self.ids)], ["factor_id"], ["__count"])
        )
        for factor in self:
            factor.entry_count = counts.get(factor, 0)

    @api.constrains("device_category", "date_from", "company_id", "active")
    def _check_one_version_per_day(self):
        for factor in self.filtered("active"):
            if self.search_count(
                [
                    ("id", "!=", factor.id),
                    ("device_category", "=", factor.device_category),
                    ("date_from", "=", factor.date_from),
                    ("company_id", "=", factor.company_id.id),
                ]
            ):
                raise ValidationError(
                    self.env._(
                        "Factor %(factor)s: another factor for this device type "
                        "is already valid from %(date)s.",
                        factor=factor.name,
                        date=factor.date_from,
                    )
                )

    def write(self, vals):
        if set(FACTOR_FIGURES) & vals.keys():
            used = self.filtered("entry_count")
            if used:
                raise UserError(
                    self.env._(
                        "Factor %(factor)s is used by %(count)s ledger entries: its "
                        "figures cannot change. Create a new version instead "
                        "(button New Version).",
                        factor=used[0].name,
                        count=used[0].entry_count,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered("entry_count")
        if used:
            raise UserError(
                self.env._(
                    "Factor %(factor)s is used by ledger entries and cannot be "
                    "deleted; archive it instead.",
                    factor=used[0].name,
                )
            )

    def action_new_version(self):
        """Copy the factor as a new version valid from today; past entries keep
        the version they were computed with."""
        self.ensure_one()
        version = self.copy(
            {
                "date_from": fields.Date.context_today(self),
                "name": self.env._("%(name)s (new version)", name=self.name),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": version.id,
            "view_mode": "form",
        }

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_report.it_co2e_entry_action"
        )
        action["domain"] = [("factor_id", "=", self.id)]
        return action

    @api.model
    def _get_factor(self, category, date, company):
        """The version valid on ``date`` for ``category``: the company's own
        factor before a shared one; an empty recordset when none is valid."""
        for companies in ([company.id], [False]):
            factor = self.search(
                [
                    ("device_category", "=", category or "other"),
                    ("date_from", "<=", date),
                    ("company_id", "in", companies),
                ],
                order="date_from desc, id desc",
                limit=1,
            )
            if factor:
                return factor
        return self.browse()
