# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ItActivityCodeRemapLine(models.Model):
    """One line of a plan change: devices on the old code move to the new."""

    _name = "it.activity.code.remap.line"
    _description = "Activity Code Mapping"
    _order = "remap_id, sequence, id"

    remap_id = fields.Many2one(
        comodel_name="it.activity.code.remap",
        string="Plan Change",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="remap_id.company_id", store=True, index=True)
    sequence = fields.Integer(
        string="Row", help="Row of the imported file, or the order of entry."
    )
    old_code = fields.Char(string="Old Code", required=True)
    new_code = fields.Char(string="New Code", required=True)
    old_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="Old Activity Code",
        compute="_compute_code_ids",
        inverse="_inverse_old_code_id",
        store=True,
        readonly=False,
    )
    new_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="New Activity Code",
        compute="_compute_code_ids",
        inverse="_inverse_new_code_id",
        store=True,
        readonly=False,
    )
    device_count = fields.Integer(
        string="Devices Moving", compute="_compute_preview", compute_sudo=True
    )
    lease_line_count = fields.Integer(
        string="Active Lease Lines Moving",
        compute="_compute_preview",
        compute_sudo=True,
    )
    problem = fields.Char(compute="_compute_code_ids", store=True)

    _sql_constraints = [
        (
            "old_code_uniq",
            "unique(remap_id, old_code)",
            "An old code can be mapped to one new code only.",
        ),
    ]

    @api.depends("old_code", "new_code", "remap_id.company_id")
    def _compute_code_ids(self):
        Account = self.env["account.analytic.account"]
        codes = {}
        for company, lines in self.grouped("company_id").items():
            references = set(lines.mapped("old_code")) | set(lines.mapped("new_code"))
            codes[company] = Account._get_it_activity_codes(company, references)
        for line in self:
            codes_of_company = codes.get(line.company_id, {})
            line.old_code_id = codes_of_company.get((line.old_code or "").strip())
            line.new_code_id = codes_of_company.get((line.new_code or "").strip())
            unknown = [
                code
                for code, record in (
                    (line.old_code, line.old_code_id),
                    (line.new_code, line.new_code_id),
                )
                if code and not record
            ]
            line.problem = (
                self.env._("Unknown activity code: %(codes)s", codes=", ".join(unknown))
                if unknown
                else False
            )

    def _inverse_old_code_id(self):
        for line in self.filtered("old_code_id"):
            line.old_code = line.old_code_id.code

    def _inverse_new_code_id(self):
        for line in self.filtered("new_code_id"):
            line.new_code = line.new_code_id.code

    def _compute_preview(self):
        for remap in self.remap_id:
            devices, lease_lines = remap._count_moving_per_code()
            for line in self.filtered(lambda ml, r=remap: ml.remap_id == r):
                line.device_count = devices.get(line.old_code_id.id, 0)
                line.lease_line_count = lease_lines.get(line.old_code_id.id, 0)
