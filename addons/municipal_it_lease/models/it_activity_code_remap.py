# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools import lease_rules
from ..tools.access import IT_MANAGER, check_groups
from ..tools.chatter import log_note
from ..tools.fileparse import formula_problem, raise_errors, read_table
from ..tools.selection import selection_label
from ..tools.spreadsheet import find_columns

# Header names accepted for the two columns of a mapping file.
MAPPING_COLUMNS = {
    "old": (
        "old code",
        ("old code", "old", "from", "gammal kod", "gammal", "fran", "fran kod"),
    ),
    "new": (
        "new code",
        ("new code", "new", "to", "ny kod", "ny", "till", "till kod"),
    ),
}
# Frozen once applied: the undo restores what they describe.
REMAP_FROZEN_FIELDS = {"company_id", "effective_date", "line_ids", "import_file"}


class ItActivityCodeRemap(models.Model):
    """A yearly change of the activity code plan: from an effective date,
    devices on each old code move to its new code, all at once."""

    _name = "it.activity.code.remap"
    _description = "Activity Code Plan Change"
    _inherit = ["mail.thread", "mail.activity.mixin", "it.system.fields.mixin"]
    _order = "effective_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, default="/")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    effective_date = fields.Date(
        required=True,
        tracking=True,
        help="First day charged on the new codes, e.g. 1 January.",
    )
    # state, applied_date and moved_device_count: set by applying and undoing
    # only.
    state = fields.Selection(
        selection=[("draft", "Draft"), ("applied", "Applied"), ("undone", "Undone")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        it_system=True,
    )
    line_ids = fields.One2many(
        "it.activity.code.remap.line", "remap_id", string="Mapping", copy=True
    )
    import_file = fields.Binary(string="Mapping File", attachment=False, copy=False)
    import_filename = fields.Char(copy=False)
    applied_date = fields.Datetime(readonly=True, copy=False, it_system=True)
    moved_device_count = fields.Integer(
        string="Devices Moved", readonly=True, copy=False, it_system=True
    )
    unmapped_code_ids = fields.Many2many(
        comodel_name="account.analytic.account",
        string="Codes in Use Left Unchanged",
        compute="_compute_unmapped_code_ids",
        compute_sudo=True,
        help="Activity codes devices hold on the effective date that the mapping "
        "does not change. Listed for checking; not an error.",
    )
    problem_count = fields.Integer(compute="_compute_problem_count")

    @api.depends("line_ids.old_code_id", "effective_date", "company_id")
    def _compute_unmapped_code_ids(self):
        for remap in self:
            if not remap.effective_date:
                remap.unmapped_code_ids = False
                continue
            held = remap._get_held_codes()
            remap.unmapped_code_ids = held - remap.line_ids.old_code_id

    @api.depends("line_ids.problem")
    def _compute_problem_count(self):
        for remap in self:
            remap.problem_count = len(remap.line_ids.filtered("problem"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/" and vals.get("effective_date"):
                vals["name"] = self.env._(
                    "Activity codes from %(date)s", date=vals["effective_date"]
                )
        return super().create(vals_list)

    def write(self, vals):
        if REMAP_FROZEN_FIELDS & vals.keys():
            self._check_draft()
        return super().write(vals)

    def _it_refuse_system_fields(self, names):
        raise UserError(
            self.env._(
                "A plan change is applied and undone with its buttons; "
                "its state is never set by hand."
            )
        )

    def _check_draft(self):
        """Refuse to change the date or mapping of an applied or undone plan
        change: they are the record of what it changed."""
        done = self.filtered(lambda remap: remap.state != "draft")
        if done:
            raise UserError(
                self.env._(
                    "Plan change %(name)s is %(state)s: its date and mapping are "
                    "the record of what it changed. Copy it to make another.",
                    name=done[0].name,
                    state=selection_label(done[0], "state"),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_applied(self):
        if any(remap.state == "applied" for remap in self):
            raise UserError(
                self.env._("Undo an applied plan change before deleting it.")
            )

    # Codes

    def _get_held_codes(self):
        """Activity codes that devices of the company hold on the date."""
        self.ensure_one()
        groups = self.env["it.activity.code.assignment"]._read_group(
            self._valid_on_date_domain(), groupby=["activity_code_id"]
        )
        return self.env["account.analytic.account"].union(*(code for (code,) in groups))

    def _valid_on_date_domain(self):
        return [
            ("company_id", "=", self.company_id.id),
            *lease_rules.code_valid_domain(self.effective_date),
        ]

    def _count_moving_per_code(self):
        """Per old code: devices holding it on the date, and their lease
        lines running on or after the date in active schedules. One query
        for the whole mapping."""
        self.ensure_one()
        old_ids = self.line_ids.old_code_id.ids
        if not (self.effective_date and old_ids):
            return {}, {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT code.activity_code_id,
                   COUNT(DISTINCT code.equipment_id),
                   COUNT(DISTINCT lease.id)
              FROM it_activity_code_assignment code
         LEFT JOIN it_lease_line lease
                ON lease.equipment_id = code.equipment_id
               AND lease.state = 'active'
               AND lease.date_end >= %(date)s
             WHERE code.company_id = %(company_id)s
               AND code.activity_code_id = ANY(%(old_ids)s)
               AND %(code_valid)s
          GROUP BY code.activity_code_id
                """,
                date=self.effective_date,
                company_id=self.company_id.id,
                old_ids=old_ids,
                code_valid=lease_rules.code_valid_on(
                    "code", SQL("%s::date", self.effective_date)
                ),
            )
        )
        devices, lease_lines = {}, {}
        for code_id, device_count, lease_line_count in self.env.cr.fetchall():
            devices[code_id] = device_count
            lease_lines[code_id] = lease_line_count
        return devices, lease_lines

    # Import

    def action_import_file(self):
        """Replace the mapping with the lines of the uploaded file (columns
        old code and new code). A bad file is refused whole, naming the row."""
        check_groups(self, self.env._("import a plan change"), IT_MANAGER)
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._("Only a draft plan change can be imported into.")
            )
        if not self.import_file:
            raise UserError(self.env._("Choose the mapping file to import first."))
        mapping = self._parse_mapping_file(base64.b64decode(self.import_file))
        self.write(
            {
                "line_ids": [Command.clear()]
                + [
                    Command.create({"sequence": row, "old_code": old, "new_code": new})
                    for row, old, new in mapping
                ],
                "import_file": False,
            }
        )
        log_note(
            self,
            body=self.env._(
                "%(count)s mapping lines imported from %(file)s.",
                count=len(mapping),
                file=self.import_filename or self.env._("a file"),
            ),
        )
        return True

    @api.model
    def _parse_mapping_file(self, content):
        """[(row, old code, new code)] of a mapping file, checked for rows
        without a code and for an old code mapped twice."""
        rows = read_table(content, self.env)
        header_row, header = rows[0]
        columns = find_columns(header, MAPPING_COLUMNS, self.env, header_row)
        mapping, seen, errors = [], {}, []
        for number, row in rows[1:]:
            old = row[columns["old"]] if columns["old"] < len(row) else ""
            new = row[columns["new"]] if columns["new"] < len(row) else ""
            if not old or not new:
                errors.append(
                    self.env._(
                        "Row %(row)s: both an old and a new code are needed.",
                        row=number,
                    )
                )
                continue
            formula = formula_problem(old, self.env) or formula_problem(new, self.env)
            if formula:
                errors.append(
                    self.env._("Row %(row)s: %(problem)s.", row=number, problem=formula)
                )
                continue
            if old in seen:
                errors.append(
                    self.env._(
                        "Row %(row)s: old code %(code)s is already mapped on row "
                        "%(first)s; an old code maps to one new code only.",
                        row=number,
                        code=old,
                        first=seen[old],
                    )
                )
                continue
            seen[old] = number
            mapping.append((number, old, new))
        raise_errors(self.env, errors)
        if not mapping:
            raise UserError(
                self.env._("The file has a header row but no mapping rows.")
            )
        return mapping

    # Apply and undo

    def action_apply(self):
        """Move every device on an old code to its new code from the
        effective date, in one transaction. Applying twice changes nothing."""
        check_groups(self, self.env._("apply a plan change"), IT_MANAGER)
        for remap in self:
            if remap.state == "applied":
                continue
            if remap.state != "draft":
                raise UserError(
                    self.env._(
                        "Plan change %(name)s was undone; copy it to apply it again.",
                        name=remap.name,
                    )
                )
            remap._check_can_apply()
            mapping = {line.old_code_id: line.new_code_id for line in remap.line_ids}
            moved = self.env["it.activity.code.assignment"]._remap(
                remap.company_id, mapping, remap.effective_date, remap=remap
            )
            # check_groups checked the right to write the plan change.
            remap.sudo().write(
                {
                    "state": "applied",
                    "applied_date": fields.Datetime.now(),
                    "moved_device_count": len(set(moved)),
                }
            )
            log_note(
                remap,
                body=self.env._(
                    "%(count)s devices moved to their new activity codes from "
                    "%(date)s.",
                    count=len(set(moved)),
                    date=format_date(self.env, remap.effective_date),
                ),
            )
        return True

    def _check_can_apply(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(
                self.env._("Plan change %(name)s has no mapping lines.", name=self.name)
            )
        problems = self.line_ids.filtered("problem")
        if problems:
            raise UserError(
                "\n".join(
                    self.env._(
                        "Row %(row)s: %(problem)s.",
                        row=line.sequence,
                        problem=line.problem,
                    )
                    for line in problems
                )
            )
        self.company_id._check_it_date_not_charged(self.effective_date)

    def action_undo(self):
        """Restore the codes this plan change replaced, as long as no posted
        charge run has charged the new codes."""
        check_groups(self, self.env._("undo a plan change"), IT_MANAGER)
        for remap in self:
            if remap.state != "applied":
                raise UserError(
                    self.env._("Plan change %(name)s is not applied.", name=remap.name)
                )
            remap._check_can_undo()
            restored = self.env["it.activity.code.assignment"]._undo_remap(remap)
            remap.sudo().state = "undone"
            log_note(
                remap,
                body=self.env._(
                    "Undone: %(count)s devices have their earlier activity codes back.",
                    count=len(set(restored)),
                ),
            )
        return True

    def _check_can_undo(self):
        self.ensure_one()
        self._check_undone_last_applied_first()
        self._check_new_codes_not_charged()

    def _check_undone_last_applied_first(self):
        """Plan changes are undone last applied first, whatever their dates: a
        later one may have split or recoded the periods this one wrote (one
        effective earlier splits the period this one closed, whose end the
        undo would give back over the later one's days)."""
        later = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "applied"),
                "|",
                ("applied_date", ">", self.applied_date),
                "&",
                ("applied_date", "=", self.applied_date),
                ("id", ">", self.id),
            ],
            limit=1,
        )
        if later:
            raise UserError(
                self.env._(
                    "Plan change %(later)s was applied after this one and may have "
                    "changed the same periods: undo it first.",
                    later=later.name,
                )
            )

    def _check_new_codes_not_charged(self):
        """Refuse the undo once a posted charge run charged a device on a code
        this plan change gave it."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT run.id
              FROM it_charge_run run
             WHERE run.company_id = %(company_id)s
               AND run.state = 'posted'
               AND EXISTS (
                    SELECT 1
                      FROM it_charge_line line
                      JOIN it_activity_code_assignment code
                        ON code.equipment_id = line.equipment_id
                       AND code.remap_id = %(remap_id)s
                       AND code.activity_code_id = line.activity_code_id
                     WHERE line.run_id = run.id
                       AND %(code_valid)s)
          ORDER BY run.date_from
             LIMIT 1
                """,
                company_id=self.company_id.id,
                remap_id=self.id,
                code_valid=lease_rules.code_valid_between(
                    "code", SQL("line.date_from"), SQL("line.date_to")
                ),
            )
        )
        row = self.env.cr.fetchone()
        if row:
            run = self.env["it.charge.run"].browse(row[0])
            raise UserError(
                self.env._(
                    "Plan change %(name)s can no longer be undone: charge run "
                    "%(run)s is posted on its new codes. Make a new plan change "
                    "instead.",
                    name=self.name,
                    run=run.name,
                )
            )
