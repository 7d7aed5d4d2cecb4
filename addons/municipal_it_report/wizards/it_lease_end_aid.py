# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models

PATHS = [
    ("return", "Return"),
    ("buy_out", "Buy out"),
    ("extend_12", "Extend 12 months"),
    ("extend_24", "Extend 24 months"),
]
# Months compared: the longest extension offered.
HORIZON_MONTHS = 24
DEFAULT_SERVICE_LIFE = 36


class ItLeaseEndPathsMixin(models.AbstractModel):
    """Cost and CO2e of each end-of-lease path for one lease line, and the
    recommendation; shared by the decision aid and the decision wizard."""

    _name = "it.lease.end.paths.mixin"
    _description = "End-of-Lease Paths"

    currency_id = fields.Many2one("res.currency")
    cost_return = fields.Monetary(string="Return", compute="_compute_paths")
    cost_buy_out = fields.Monetary(string="Buy Out", compute="_compute_paths")
    cost_extend_12 = fields.Monetary(
        string="Extend 12 Months", compute="_compute_paths"
    )
    cost_extend_24 = fields.Monetary(
        string="Extend 24 Months", compute="_compute_paths"
    )
    new_device_price = fields.Monetary(string="New Device", compute="_compute_paths")
    co2e_return = fields.Float(
        string="CO2e Return (kg)", digits=(16, 1), compute="_compute_paths"
    )
    co2e_buy_out = fields.Float(
        string="CO2e Buy Out (kg)", digits=(16, 1), compute="_compute_paths"
    )
    co2e_extend_12 = fields.Float(
        string="CO2e Extend 12 (kg)", digits=(16, 1), compute="_compute_paths"
    )
    co2e_extend_24 = fields.Float(
        string="CO2e Extend 24 (kg)", digits=(16, 1), compute="_compute_paths"
    )
    recommendation = fields.Selection(selection=PATHS, compute="_compute_paths")
    recommendation_rule = fields.Char(string="Rule", compute="_compute_paths")

    def _compute_paths(self):
        for row in self:
            row.update(self._get_paths(row.lease_line_id, row._get_extension_rent()))

    def _get_extension_rent(self):
        """The extension's monthly rent; 0 means the rate card."""
        return 0.0

    @api.model
    def _get_paths(self, lease_line, extension_rent=0.0):
        """Values of the path fields for ``lease_line``. Over the next 24
        months: returning costs the return fee, the expected damage charge and
        a new device's price for 24 months of its service life; buying out
        costs the residual value; extending costs the extension rent, then the
        return and, after 12 months, a new device for the remaining 12. CO2e
        is the share of a new unit's manufacturing each path causes."""
        company = lease_line.company_id
        currency = lease_line.currency_id or company.currency_id
        device = lease_line.equipment_id
        factor = self.env["it.co2e.factor"]._get_factor(
            device.device_category, fields.Date.context_today(self), company
        )
        life = factor.service_life_months or DEFAULT_SERVICE_LIFE
        manufacturing = factor.kg_manufacturing
        price = device.product_id.product_tmpl_id.it_new_reference_price
        if not extension_rent:
            extension_rent = (
                lease_line.monthly_rent * company.it_extension_rent_percent / 100
            )
        give_back = company.it_return_fee + company.it_expected_damage_charge
        costs = {
            "return": give_back + price * HORIZON_MONTHS / life,
            "buy_out": lease_line.residual_value,
            "extend_12": 12 * extension_rent + give_back + price * 12 / life,
            "extend_24": 24 * extension_rent + give_back,
        }
        co2e = {
            "return": manufacturing * HORIZON_MONTHS / life,
            "buy_out": 0.0,
            "extend_12": manufacturing * 12 / life,
            "extend_24": 0.0,
        }
        costs = {path: currency.round(cost) for path, cost in costs.items()}
        order = [path for path, _label in PATHS]
        best = min(order, key=lambda path: (costs[path], co2e[path]))
        values = {
            "new_device_price": price,
            "recommendation": best,
            "recommendation_rule": self.env._(
                "Lowest cost over the next %(months)s months; on equal cost the "
                "lowest CO2e.",
                months=HORIZON_MONTHS,
            ),
        }
        values.update({f"cost_{path}": costs[path] for path in order})
        values.update({f"co2e_{path}": co2e[path] for path in order})
        return values


class ItLeaseEndAid(models.TransientModel):
    """End-of-lease decision aid: for every device on a schedule ending
    within the given days, what each path costs and emits."""

    _name = "it.lease.end.aid"
    _description = "End-of-Lease Decision Aid"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    days = fields.Integer(
        string="Schedules Ending Within (days)", default=120, required=True
    )
    line_ids = fields.One2many("it.lease.end.aid.line", "aid_id", string="Devices")

    def action_compute(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        lease_lines = self.env["it.lease.line"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "active"),
                ("end_decision", "=", False),
                ("schedule_id.date_end", ">=", today),
                ("schedule_id.date_end", "<=", fields.Date.add(today, days=self.days)),
            ]
        )
        self.line_ids = [Command.clear()] + [
            Command.create({"lease_line_id": line.id}) for line in lease_lines
        ]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_print_xlsx(self):
        self.ensure_one()
        if not self.line_ids:
            self.action_compute()
        return self.env.ref(
            "municipal_it_report.it_lease_end_aid_report_xlsx"
        ).report_action(self)


class ItLeaseEndAidLine(models.TransientModel):
    _name = "it.lease.end.aid.line"
    _inherit = "it.lease.end.paths.mixin"
    _description = "End-of-Lease Decision Aid Row"

    aid_id = fields.Many2one("it.lease.end.aid", required=True, ondelete="cascade")
    lease_line_id = fields.Many2one("it.lease.line", required=True)
    currency_id = fields.Many2one(related="lease_line_id.currency_id")
    schedule_id = fields.Many2one(related="lease_line_id.schedule_id")
    equipment_id = fields.Many2one(related="lease_line_id.equipment_id")
    serial_no = fields.Char(related="lease_line_id.serial_no")
    date_end = fields.Date(related="lease_line_id.date_end")
    monthly_rent = fields.Monetary(related="lease_line_id.monthly_rent")
    residual_value = fields.Monetary(related="lease_line_id.residual_value")


class ItLeaseEndDecisionLine(models.TransientModel):
    _name = "it.lease.end.decision.line"
    _inherit = ["it.lease.end.decision.line", "it.lease.end.paths.mixin"]

    currency_id = fields.Many2one(related="lease_line_id.currency_id")

    @api.depends("lease_line_id", "new_monthly_rent")
    def _compute_paths(self):
        return super()._compute_paths()

    def _get_extension_rent(self):
        # A rent the lessor offered (changed in the wizard) beats the rate card.
        rent = self.new_monthly_rent
        return rent if rent != self.monthly_rent else 0.0
