# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class ItLeaseAgreement(models.Model):
    """Master lease agreement with a lessor; schedules (annexes) hang under it."""

    _name = "it.lease.agreement"
    _description = "IT Master Lease Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_signed desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, tracking=True)
    lessor_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        tracking=True,
        check_company=True,
    )
    date_signed = fields.Date(string="Signed On", tracking=True)
    procurement_reference = fields.Char(
        help="Reference of the public procurement (framework agreement) this "
        "agreement was awarded under."
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    schedule_ids = fields.One2many(
        "it.lease.schedule", "agreement_id", string="Lease Schedules"
    )
    schedule_count = fields.Integer(compute="_compute_schedule_count")
    note = fields.Html(string="Terms")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "An agreement reference must be unique per company.",
        ),
    ]

    @api.depends("schedule_ids")
    def _compute_schedule_count(self):
        for agreement in self:
            agreement.schedule_count = len(agreement.schedule_ids)

    def action_view_schedules(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "municipal_it_lease.it_lease_schedule_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"default_agreement_id": self.id}
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_schedules(self):
        used = self.filtered("schedule_ids")
        if used:
            raise UserError(
                self.env._(
                    "Master agreement %(agreement)s has lease schedules: delete or "
                    "cancel them first, or archive the agreement.",
                    agreement=used[0].display_name,
                )
            )
