# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ItActivityCodeAssignment(models.Model):
    """Which activity code pays for a device over which days.

    A device's codes form a gap-free chain of periods: a change effective on a
    date closes the running period the day before and opens a new one, so the
    monthly charge can charge every day to the code valid on that day. An empty
    start means "since the device was registered".
    """

    _name = "it.activity.code.assignment"
    _description = "Activity Code History"
    _order = "equipment_id, date_from nulls first, id"

    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True
    )
    activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="Activity Code",
        required=True,
        ondelete="restrict",
        index=True,
    )
    date_from = fields.Date(string="Valid From")
    date_to = fields.Date(string="Valid To")

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_from IS NULL OR date_to IS NULL OR date_from <= date_to)",
            "An activity code cannot be valid until before it is valid from.",
        ),
    ]

    @api.model
    def _assign(self, equipments, activity_code, effective_date):
        """Charge ``equipments`` to ``activity_code`` from ``effective_date``.

        Periods starting on or after the date are replaced; the period running
        on the date ends the day before. A device's first code has no start
        date, so the days it was leased before it got a code are not left
        without one.
        """
        if not equipments:
            return self.browse()
        history = self.search([("equipment_id", "in", equipments.ids)])
        history.filtered(
            lambda a: a.date_from and a.date_from >= effective_date
        ).unlink()
        history = history.exists()
        running = history.filtered(
            lambda a: (
                (not a.date_from or a.date_from < effective_date)
                and (not a.date_to or a.date_to >= effective_date)
            )
        )
        running.write({"date_to": fields.Date.subtract(effective_date, days=1)})
        if not activity_code:
            return self.browse()
        known = set(history.equipment_id.ids)
        return self.create(
            [
                {
                    "equipment_id": equipment.id,
                    "activity_code_id": activity_code.id,
                    "date_from": effective_date if equipment.id in known else False,
                }
                for equipment in equipments
            ]
        )
