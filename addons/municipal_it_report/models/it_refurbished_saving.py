# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools


class ItRefurbishedSaving(models.Model):
    """Refurbished devices against the price of the same model bought new:
    money and CO2e saved side by side, per department and year."""

    _name = "it.refurbished.saving"
    _description = "Refurbished Savings"
    _auto = False
    _order = "year desc, department_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    equipment_id = fields.Many2one(
        "maintenance.equipment", string="Device", readonly=True
    )
    product_tmpl_id = fields.Many2one("product.template", string="Model", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    activity_code_id = fields.Many2one("account.analytic.account", readonly=True)
    year = fields.Char(readonly=True, help="Year the device was put in service.")
    price = fields.Monetary(string="Price Paid", readonly=True)
    reference_price = fields.Monetary(string="New Price", readonly=True)
    money_saved = fields.Monetary(readonly=True)
    kg_co2e = fields.Float(string="CO2e Saved (kg)", digits=(16, 2), readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE VIEW it_refurbished_saving AS (
                SELECT e.id,
                       e.company_id,
                       c.currency_id,
                       e.id AS equipment_id,
                       p.product_tmpl_id,
                       e.department_id,
                       e.activity_code_id,
                       to_char(COALESCE(e.effective_date, e.create_date), 'YYYY')
                           AS year,
                       COALESCE(e.cost, 0) AS price,
                       COALESCE(t.it_new_reference_price, 0) AS reference_price,
                       COALESCE(t.it_new_reference_price, 0) - COALESCE(e.cost, 0)
                           AS money_saved,
                       COALESCE(co2.kg, 0) AS kg_co2e
                  FROM maintenance_equipment e
                  JOIN res_company c ON c.id = e.company_id
             LEFT JOIN product_product p ON p.id = e.product_id
             LEFT JOIN product_template t ON t.id = p.product_tmpl_id
             LEFT JOIN (
                       SELECT equipment_id, SUM(kg_co2e) AS kg
                         FROM it_co2e_entry
                        WHERE event = 'refurbished_received'
                     GROUP BY equipment_id
                   ) co2 ON co2.equipment_id = e.id
                 WHERE e.acquisition_origin = 'refurbished'
                   AND e.active
            )
            """
        )
