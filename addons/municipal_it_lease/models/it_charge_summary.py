# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools


class ItChargeSummary(models.Model):
    """Totals of a charge run per activity code: what each cost centre pays."""

    _name = "it.charge.summary"
    _description = "IT Lease Charge per Activity Code"
    _auto = False
    _order = "run_id, activity_code_id"

    run_id = fields.Many2one("it.charge.run", string="Charge Run", readonly=True)
    activity_code_id = fields.Many2one("account.analytic.account", readonly=True)
    device_count = fields.Integer(string="Devices", readonly=True)
    amount = fields.Monetary(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT MIN(line.id) AS id,
                       line.run_id,
                       line.activity_code_id,
                       company.currency_id,
                       run.company_id,
                       COUNT(DISTINCT line.equipment_id) AS device_count,
                       SUM(line.amount) AS amount
                  FROM it_charge_line line
                  JOIN it_charge_run run ON run.id = line.run_id
                  JOIN res_company company ON company.id = run.company_id
              GROUP BY line.run_id, line.activity_code_id, company.currency_id,
                       run.company_id
            )
            """
        )
