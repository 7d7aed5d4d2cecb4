# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ItLeaseSchedule(models.Model):
    _inherit = "it.lease.schedule"

    it_receipt_month = fields.Date(
        string="Receipt Month",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set on the draft schedule that collects the devices financed by "
        "this lessor and received in this month.",
    )

    @api.model
    def _get_it_receipt_schedule(self, lessor, company, month, term_months):
        """The draft schedule of ``lessor`` for devices received in ``month``
        (first day), created under the lessor's master agreement (created
        too if the lessor has none)."""
        schedule = self.search(
            [
                ("lessor_id", "=", lessor.id),
                ("company_id", "=", company.id),
                ("it_receipt_month", "=", month),
                ("state", "=", "draft"),
            ],
            limit=1,
        )
        if schedule:
            return schedule
        agreement = self.env["it.lease.agreement"]._get_it_lessor_agreement(
            lessor, company
        )
        name = self.env._(
            "%(lessor)s, received %(month)s",
            lessor=lessor.name,
            month=month.strftime("%Y-%m"),
        )
        taken = set(
            self.with_context(active_test=False)
            .search([("company_id", "=", company.id), ("name", "=like", f"{name}%")])
            .mapped("name")
        )
        unique_name, number = name, 1
        while unique_name in taken:
            number += 1
            unique_name = f"{name} ({number})"
        return self.create(
            {
                "name": unique_name,
                "agreement_id": agreement.id,
                "company_id": company.id,
                "date_start": month,
                "term_months": term_months,
                "it_receipt_month": month,
                "note": self.env._(
                    "<p>Created from the receipts of devices financed by the "
                    "lessor. Complete the start date, term and rents from the "
                    "lessor's annex, then activate.</p>"
                ),
            }
        )

    def _update_it_fair_value(self):
        """Fair value at start = the purchase price of the devices on the
        schedule (what the lessor paid the reseller)."""
        for schedule in self.filtered(lambda s: s.state == "draft"):
            schedule.fair_value = sum(schedule.line_ids.equipment_id.mapped("cost"))
