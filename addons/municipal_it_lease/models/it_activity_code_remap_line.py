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
    # A pair is entered by picking the codes, or typed (or imported) as text
    # and looked up; the text is what an import file said, kept for the
    # problem column when a code does not exist.
    old_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="Old Activity Code",
        domain="[('is_it_activity_code', '=', True)]",
    )
    new_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        string="New Activity Code",
        domain="[('is_it_activity_code', '=', True)]",
    )
    old_code = fields.Char(
        compute="_compute_old_code", store=True, readonly=False, precompute=True
    )
    new_code = fields.Char(
        compute="_compute_new_code", store=True, readonly=False, precompute=True
    )
    device_count = fields.Integer(
        string="Devices Moving", compute="_compute_preview", compute_sudo=True
    )
    lease_line_count = fields.Integer(
        string="Active Lease Lines Moving",
        compute="_compute_preview",
        compute_sudo=True,
    )
    problem = fields.Char(compute="_compute_problem", store=True)

    _sql_constraints = [
        (
            "old_code_uniq",
            "unique(remap_id, old_code)",
            "An old code can be mapped to one new code only.",
        ),
    ]

    @api.depends("old_code_id")
    def _compute_old_code(self):
        for line in self.filtered("old_code_id"):
            line.old_code = line.old_code_id.code

    @api.depends("new_code_id")
    def _compute_new_code(self):
        for line in self.filtered("new_code_id"):
            line.new_code = line.new_code_id.code

    @api.depends("old_code", "new_code", "old_code_id", "new_code_id")
    def _compute_problem(self):
        for line in self:
            unknown = [
                code
                for code, record in (
                    (line.old_code, line.old_code_id),
                    (line.new_code, line.new_code_id),
                )
                if code and not record
            ]
            if unknown:
                line.problem = self.env._(
                    "Unknown activity code: %(codes)s", codes=", ".join(unknown)
                )
            elif not (line.old_code_id and line.new_code_id):
                line.problem = self.env._("Give both the old and the new code")
            else:
                line.problem = False

    @api.model_create_multi
    def create(self, vals_list):
        remap_ids = {vals.get("remap_id") for vals in vals_list} - {None, False}
        self.env["it.activity.code.remap"].browse(remap_ids)._check_draft()
        lines = super().create(vals_list)
        lines._resolve_typed_codes()
        return lines

    def write(self, vals):
        self.remap_id._check_draft()
        if vals.get("remap_id"):
            self.remap_id.browse(vals["remap_id"])._check_draft()
        res = super().write(vals)
        if {"old_code", "new_code"} & vals.keys():
            self._resolve_typed_codes()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_applied(self):
        # Lines go with an undone plan change when it is deleted.
        self.remap_id.filtered(lambda remap: remap.state == "applied")._check_draft()

    def _resolve_typed_codes(self):
        """Look up the codes typed or imported as text (one query per
        company)."""
        Account = self.env["account.analytic.account"]
        for company, lines in self.grouped("company_id").items():
            typed = lines.filtered(
                lambda line: (
                    (line.old_code and not line.old_code_id)
                    or (line.new_code and not line.new_code_id)
                )
            )
            if not typed:
                continue
            references = set(typed.mapped("old_code")) | set(typed.mapped("new_code"))
            codes = Account._get_it_activity_codes(company, references)
            for line in typed:
                values = {}
                old = codes.get((line.old_code or "").strip())
                new = codes.get((line.new_code or "").strip())
                if old and not line.old_code_id:
                    values["old_code_id"] = old.id
                if new and not line.new_code_id:
                    values["new_code_id"] = new.id
                if values:
                    # Only *_code_id: write() does not resolve again.
                    line.write(values)

    def _compute_preview(self):
        for remap in self.remap_id:
            devices, lease_lines = remap._count_moving_per_code()
            for line in self.filtered(lambda ml, r=remap: ml.remap_id == r):
                line.device_count = devices.get(line.old_code_id.id, 0)
                line.lease_line_count = lease_lines.get(line.old_code_id.id, 0)
