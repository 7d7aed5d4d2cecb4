# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    it_is_lessor = fields.Boolean(
        string="Is a Lessor",
        compute="_compute_it_is_lessor",
        help="The partner leases IT devices to the municipality (it has a master "
        "lease agreement).",
    )

    # How this lessor's monthly invoice specification names its columns.
    # Several accepted names are separated by "|"; case and accents do not
    # matter; other columns of the file are ignored.
    it_spec_schedule_column = fields.Char(
        string="Schedule Column",
        default="Schedule|Bilaga|Avtalsbilaga",
    )
    it_spec_serial_column = fields.Char(
        string="Serial Number Column",
        default="Serial|Serial number|Serienummer|Serienr",
    )
    it_spec_period_column = fields.Char(
        string="Period Column",
        default="Period|Month|Månad",
    )
    it_spec_amount_column = fields.Char(
        string="Amount Column",
        default="Amount|Belopp|Hyra",
    )

    def _compute_it_is_lessor(self):
        Agreement = self.env["it.lease.agreement"]
        lessors = set()
        if Agreement.has_access("read") and self.ids:
            lessors = {
                partner.id
                for (partner,) in Agreement.with_context(active_test=False)._read_group(
                    [("lessor_id", "in", self.ids)], groupby=["lessor_id"]
                )
            }
        for partner in self:
            partner.it_is_lessor = partner.id in lessors

    def _get_it_spec_columns(self):
        """The column definitions of find_columns() for this lessor."""
        self.ensure_one()
        _ = self.env._

        def names(value):
            return tuple(
                name.strip() for name in (value or "").split("|") if name.strip()
            )

        return {
            "schedule": (_("schedule"), names(self.it_spec_schedule_column)),
            "serial": (_("serial number"), names(self.it_spec_serial_column)),
            "period": (_("period"), names(self.it_spec_period_column)),
            "amount": (_("amount"), names(self.it_spec_amount_column)),
        }
