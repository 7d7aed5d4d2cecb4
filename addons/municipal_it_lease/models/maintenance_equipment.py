# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ..tools import lease_rules
from ..tools.lease_rules import CHARGED_SCHEDULE_STATES
from ..tools.serial import clean_serial, serial_key, serial_problem


class MaintenanceEquipment(models.Model):
    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "it.system.fields.mixin"]
    # Lets a lease line import or a many2one field find a device by serial.
    _rec_names_search = ["name", "serial_no"]

    # Trigram indexes: the search box finds a device by any part of its
    # name or serial number ("ilike"), on 100,000 devices without reading
    # them all.
    name = fields.Char(index="trigram")
    serial_no = fields.Char(tracking=True, index="trigram")
    # Odoo's computed columns of a new device go into its INSERT (computed
    # beforehand, "precompute") instead of an UPDATE of each new row after
    # it: an imported batch of 2,000 devices is written once, not twice.
    # (Their compute and store repeated: a definition with precompute alone
    # is warned about.)
    employee_id = fields.Many2one(
        compute="_compute_equipment_assign", store=True, precompute=True
    )
    department_id = fields.Many2one(
        compute="_compute_equipment_assign", store=True, precompute=True
    )
    assign_date = fields.Date(
        compute="_compute_equipment_assign", store=True, precompute=True
    )
    owner_user_id = fields.Many2one(
        compute="_compute_owner", store=True, precompute=True
    )
    maintenance_count = fields.Integer(
        compute="_compute_maintenance_count", store=True, precompute=True
    )
    maintenance_open_count = fields.Integer(
        compute="_compute_maintenance_count", store=True, precompute=True
    )
    serial_no_normalized = fields.Char(
        string="Normalized Serial Number",
        compute="_compute_serial_no_normalized",
        store=True,
        precompute=True,
        index=True,
        help="The serial number's identity: Unicode-normalized (NFKC), "
        "case-folded, without any spaces or invisible characters. Unique per "
        "company; every search by serial number uses it.",
    )
    serial_lookup = fields.Char(
        string="Serial Number (Any Form)",
        compute="_compute_serial_lookup",
        search="_search_serial_lookup",
        help="Finds a device by its serial number as typed, scanned or pasted: "
        "case, spaces, invisible characters and Unicode forms do not matter. "
        "Use it in searches and in integrations (JSON-RPC) instead of an "
        "external identifier.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        check_company=True,
        tracking=True,
        help="The product (make and model) as ordered from the reseller.",
    )
    device_category = fields.Selection(
        selection=[
            ("laptop", "Laptop"),
            ("desktop", "Desktop"),
            ("monitor", "Monitor"),
            ("tablet", "Tablet"),
            ("phone", "Phone"),
            ("other", "Other"),
        ],
        string="Device Type",
        tracking=True,
    )
    os_version = fields.Char(
        string="OS / Firmware Version",
        tracking=True,
        help="Operating system or firmware version, e.g. Windows 11 23H2.",
    )
    software_ids = fields.Many2many(
        comodel_name="it.asset.software",
        relation="maintenance_equipment_it_asset_software_rel",
        column1="equipment_id",
        column2="software_id",
        string="Installed Software",
        check_company=True,
    )
    activity_code_plan_id = fields.Many2one(
        related="company_id.it_activity_code_plan_id"
    )
    activity_code_id = fields.Many2one(
        comodel_name="account.analytic.account",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('root_plan_id', '=', activity_code_plan_id)]",
        help="Cost centre (analytic account) that pays for this device.",
    )
    site_id = fields.Many2one(
        comodel_name="it.asset.site",
        index=True,
        tracking=True,
        check_company=True,
    )
    is_it_device = fields.Boolean(
        string="IT Device",
        default=True,
        index=True,
        help="Shown in the IT Leasing register. Other equipment (furniture, "
        "machines) stays in Maintenance only.",
    )
    it_lease_line_count = fields.Integer(compute="_compute_it_counts")
    it_charge_line_count = fields.Integer(compute="_compute_it_counts")
    it_code_history_count = fields.Integer(compute="_compute_it_counts")
    it_reconciliation_line_count = fields.Integer(compute="_compute_it_counts")
    lifecycle_state = fields.Selection(
        selection=[
            ("ordered", "Ordered"),
            ("in_stock", "In Stock"),
            ("in_use", "In Use"),
            ("in_repair", "In Repair"),
            ("returned", "Returned"),
            ("disposed", "Disposed"),
        ],
        string="Status",
        default="in_stock",
        required=True,
        index=True,
        tracking=True,
        group_expand="_group_expand_lifecycle_state",
    )
    acquisition_origin = fields.Selection(
        selection=[("new", "New"), ("refurbished", "Refurbished")],
        string="Origin",
        default="new",
        required=True,
    )
    reseller_id = fields.Many2one(
        comodel_name="res.partner",
        check_company=True,
        help="Reseller the device was ordered through, e.g. Dustin.",
    )
    purchase_ref = fields.Char(string="Purchase Reference")
    activity_code_history_ids = fields.One2many(
        "it.activity.code.assignment", "equipment_id"
    )
    return_requested = fields.Boolean(
        string="To Return",
        tracking=True,
        copy=False,
        help="Decided to go back to the lessor at lease end; the disposal addon "
        "picks it up from here.",
    )
    is_owned = fields.Boolean(
        string="Owned",
        tracking=True,
        copy=False,
        help="Bought out from the lessor: the municipality owns it and it is no "
        "longer charged as a lease.",
    )
    lease_line_ids = fields.One2many(
        "it.lease.line", "equipment_id", string="Lease History"
    )
    lease_line_id = fields.Many2one(
        comodel_name="it.lease.line",
        string="Current Lease Line",
        compute="_compute_lease_line_id",
        store=True,
        index=True,
        # Computed from the device's lease lines: what the decisions, the
        # disposal and the lists read as the device's lease.
        it_system=True,
        help="The latest lease line that is not cancelled.",
    )
    lease_schedule_id = fields.Many2one(
        related="lease_line_id.schedule_id", store=True, string="Lease Schedule"
    )
    lessor_id = fields.Many2one(
        related="lease_line_id.lessor_id", store=True, string="Lessor", index=True
    )
    lease_end_date = fields.Date(
        related="lease_line_id.date_end", store=True, string="Lease End", index=True
    )
    monthly_rent = fields.Monetary(
        related="lease_line_id.monthly_rent", string="Monthly Rent"
    )
    currency_id = fields.Many2one(related="lease_line_id.currency_id")

    _sql_constraints = [
        # Replaces maintenance's global, case-sensitive unique(serial_no): a
        # serial is unique per company, whatever its case and surrounding
        # spaces. Deferred so that the Python check below, which names the
        # device already holding the serial, always speaks first; the database
        # still guarantees uniqueness at commit against concurrent transactions.
        (
            "serial_no",
            "unique(company_id, serial_no_normalized) DEFERRABLE INITIALLY DEFERRED",
            "Another device of this company already has this serial number.",
        ),
    ]

    def init(self):
        res = super().init()
        # The search box's serial filter compares keys ("ilike" on
        # serial_no_normalized, see _search_serial_lookup); its own index is
        # a btree, for the imports' exact matches, so the trigram index is a
        # second one.
        if self.pool.has_trigram:
            create_index(
                self.env.cr,
                "maintenance_equipment__serial_no_normalized_trgm_index",
                self._table,
                ["serial_no_normalized gin_trgm_ops"],
                method="gin",
            )
        return res

    @api.model
    def _normalize_serial(self, serial):
        """The key of ``serial`` (see ``tools.serial.serial_key``)."""
        return serial_key(serial)

    @api.depends("serial_no")
    def _compute_serial_no_normalized(self):
        for equipment in self:
            equipment.serial_no_normalized = self._normalize_serial(equipment.serial_no)

    @api.depends("serial_no")
    def _compute_serial_lookup(self):
        for equipment in self:
            equipment.serial_lookup = equipment.serial_no

    def _search_serial_lookup(self, operator, value):
        """Compare by serial key: ``=``/``in`` find exactly the devices whose
        key is the key of the value(s) given, ``ilike`` those whose key holds
        it. A value with nothing left once normalized finds nothing."""
        # An integration may send a number for a serial: compare its text.
        if operator in ("in", "not in"):
            values = value if isinstance(value, list | tuple | set) else [value]
            keys = [
                key
                for key in (self._normalize_serial(str(v)) for v in values if v)
                if key
            ]
            return [("serial_no_normalized", operator, keys)]
        if operator in ("=", "!=", "ilike", "not ilike", "like", "not like"):
            if value is False or value is None:
                return [("serial_no_normalized", operator, False)]
            key = self._normalize_serial(str(value))
            if not key:
                positive = operator in ("=", "ilike", "like")
                return expression.FALSE_DOMAIN if positive else expression.TRUE_DOMAIN
            # Keys are case-folded: "like" means "ilike" here.
            operator = {"like": "ilike", "not like": "not ilike"}.get(
                operator, operator
            )
            return [("serial_no_normalized", operator, key)]
        raise UserError(
            self.env._(
                "A serial number cannot be searched with the operator %(operator)s.",
                operator=operator,
            )
        )

    @api.depends("lease_line_ids.date_start", "lease_line_ids.state")
    def _compute_lease_line_id(self):
        for equipment in self:
            lines = equipment.lease_line_ids.filtered(
                lambda line: line.state != "cancelled"
            )
            equipment.lease_line_id = lines.sorted(
                lambda line: (line.date_start, line.id)
            )[-1:]

    @api.constrains("serial_no", "company_id")
    def _check_serial_no_unique(self):
        """Refuse a serial number already used in the company, naming the
        device that has it; spaces around it and letter case do not count."""
        seen = {}
        for equipment in self:
            key = (equipment.company_id.id, equipment.serial_no_normalized)
            if not equipment.serial_no_normalized:
                continue
            if key in seen:
                self._raise_duplicate_serial(equipment, seen[key])
            seen[key] = equipment
        if not seen:
            return
        self.flush_model(["company_id", "serial_no_normalized"])
        # A join on both columns of the unique key, not an ORM search with
        # an IN list: inside a transaction that has inserted thousands of
        # devices (the background import), the planner takes the trigram
        # index for the list, whose statistics only a vacuum refreshes, and
        # scans every serial's posting list (4.9 s to 21 s per batch of
        # 2,000, growing with each batch).
        rows = self.env.execute_query(
            SQL(
                """SELECT equipment.id
                     FROM maintenance_equipment equipment
                     JOIN unnest(%s::int[], %s::varchar[]) AS taken(company_id, serial)
                       ON equipment.company_id = taken.company_id
                      AND equipment.serial_no_normalized = taken.serial
                    WHERE equipment.id != ALL(%s)""",
                [key[0] for key in seen],
                [key[1] for key in seen],
                self.ids,
            )
        )
        others = self.browse(row[0] for row in rows).sudo()
        for other in others:
            equipment = seen.get((other.company_id.id, other.serial_no_normalized))
            if equipment:
                self._raise_duplicate_serial(equipment, other)

    def _raise_duplicate_serial(self, equipment, other):
        raise ValidationError(
            self.env._(
                "Serial number %(serial)s is already used by device %(other)s.",
                serial=equipment.serial_no.strip(),
                other=other.name,
            )
        )

    @api.constrains("lifecycle_state", "activity_code_id")
    def _check_activity_code_when_in_use(self):
        for equipment in self:
            if equipment.lifecycle_state == "in_use" and not equipment.activity_code_id:
                raise ValidationError(
                    self.env._(
                        "Device %(device)s is in use but has no activity code: "
                        "every device in use must be charged to a cost centre.",
                        device=equipment.display_name,
                    )
                )

    @api.model
    def _group_expand_lifecycle_state(self, states, domain):
        # The kanban by status shows every column, even empty ones.
        return [key for key, _label in self._fields["lifecycle_state"].selection]

    def _compute_it_counts(self):
        def count(model):
            # Charges and invoices are finance's: counted only for those who
            # may read them.
            if not self.env[model].has_access("read"):
                return {}
            return dict(
                self.env[model]._read_group(
                    [("equipment_id", "in", self.ids)],
                    groupby=["equipment_id"],
                    aggregates=["__count"],
                )
            )

        lease_lines = count("it.lease.line")
        history = count("it.activity.code.assignment")
        charges = count("it.charge.line")
        invoiced = count("it.lease.reconciliation.line")
        for equipment in self:
            equipment.it_lease_line_count = lease_lines.get(equipment, 0)
            equipment.it_code_history_count = history.get(equipment, 0)
            equipment.it_charge_line_count = charges.get(equipment, 0)
            equipment.it_reconciliation_line_count = invoiced.get(equipment, 0)

    def _action_view_it(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("equipment_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_view_it_lease_lines(self):
        return self._action_view_it("it.lease.line", self.env._("Lease Lines"))

    def action_view_it_charge_lines(self):
        action = self._action_view_it("it.charge.line", self.env._("Charges"))
        action["view_mode"] = "list,pivot"
        return action

    def action_view_it_code_history(self):
        return self._action_view_it(
            "it.activity.code.assignment", self.env._("Activity Code History")
        )

    def action_view_it_reconciliation_lines(self):
        return self._action_view_it(
            "it.lease.reconciliation.line", self.env._("Invoiced by the Lessor")
        )

    @api.constrains("lifecycle_state")
    def _check_returned_lease_ended(self):
        """A leased device is *Returned* only once the lessor took it back
        (or its lease no longer runs): its lease decides its charge."""
        today = fields.Date.context_today(self)
        for equipment in self.filtered(lambda e: e.lifecycle_state == "returned"):
            running = equipment.lease_line_ids.filtered_domain(
                lease_rules.charged_between_domain(today)
            ).filtered(
                lambda line: (
                    line.state in CHARGED_SCHEDULE_STATES
                    and not line.date_returned
                    and line.end_decision != "buy_out"
                )
            )
            if running:
                raise ValidationError(
                    self.env._(
                        "Device %(device)s is still leased on schedule %(schedule)s: "
                        "it becomes Returned when the lessor has taken it back "
                        "(decide its return, then confirm the receipt).",
                        device=equipment.display_name,
                        schedule=running[0].schedule_id.name,
                    )
                )

    @api.constrains("activity_code_id", "company_id")
    def _check_activity_code_plan(self):
        for equipment in self:
            equipment._check_activity_code_in_plan(equipment.activity_code_id)

    def _check_activity_code_in_plan(self, code):
        self.ensure_one()
        plan = self.company_id.it_activity_code_plan_id
        if code and plan and code.root_plan_id != plan:
            raise ValidationError(
                self.env._(
                    "Device %(device)s: %(code)s is not an activity code (it "
                    "is not in the analytic plan %(plan)s).",
                    device=self.display_name,
                    code=code.display_name,
                    plan=plan.name,
                )
            )

    @api.model
    def _search_display_name(self, operator, value):
        """A serial typed in any form finds its device: the key is compared
        too (``=`` exactly, ``ilike`` as a part of it)."""
        domain = super()._search_display_name(operator, value)
        if operator in ("=", "ilike", "=ilike", "like", "=like") and isinstance(
            value, str
        ):
            by_key = "=" if operator in ("=", "=ilike", "=like") else "ilike"
            domain = expression.OR([domain, self._search_serial_lookup(by_key, value)])
        return domain

    def load(self, fields, data):
        # One name search per distinct activity code, not per row.
        return super(
            MaintenanceEquipment, self.with_context(it_import_name_cache={})
        ).load(fields, data)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._clean_serial_vals(vals)
        equipments = super().create(vals_list)
        equipments._record_activity_code_history()
        return equipments

    @api.ondelete(at_uninstall=False)
    def _unlink_except_leased_or_charged(self):
        leased = self.filtered("lease_line_ids")
        if leased:
            raise UserError(
                self.env._(
                    "Device %(device)s has been on a lease (schedule %(schedule)s): "
                    "it is kept with its history. Archive it instead.",
                    device=leased[0].display_name,
                    schedule=leased[0].lease_line_ids[:1].schedule_id.name,
                )
            )

    def write(self, vals):
        self._clean_serial_vals(vals, self)
        effective_date = self._get_activity_code_effective_date()
        future_code = None
        if "activity_code_id" in vals and effective_date > fields.Date.context_today(
            self
        ):
            # A change decided now for a later date: the history records it,
            # the current code stays until that day comes.
            vals = dict(vals)
            future_code = self.env["account.analytic.account"].browse(
                vals.pop("activity_code_id")
            )
        res = super().write(vals)
        if future_code is not None:
            # The history takes it with sudo(): checked first as the code
            # written today would be (super().write checked the devices).
            self._check_future_activity_code(future_code)
            self.env["it.activity.code.assignment"].sudo()._assign(
                self, future_code, effective_date
            )
        elif "activity_code_id" in vals:
            self._record_activity_code_history()
        return res

    def _check_future_activity_code(self, code):
        """Refuse ``code`` for these devices from a later day unless they
        could take it today: an activity code of their company's plan."""
        if not code:
            return
        for equipment in self:
            if not code.sudo().filtered_domain(
                code._check_company_domain(equipment.company_id)
            ):
                raise ValidationError(
                    self.env._(
                        "Device %(device)s: %(code)s is an activity code of "
                        "another company.",
                        device=equipment.display_name,
                        code=code.sudo().display_name,
                    )
                )
            equipment._check_activity_code_in_plan(code)

    @api.model
    def _clean_serial_vals(self, vals, devices=None):
        """Clean the serial number of ``vals`` in place; refuse, before it
        reaches the database, a serial the one rule of every way a serial
        enters refuses (``serial_problem``: a control character, a newline
        inside, a leading ``= + - @`` formula, an overlong serial)."""
        serial = vals.get("serial_no")
        if not serial or not isinstance(serial, str):
            return
        if not clean_serial(serial):
            # Blanks only: no serial number, as when the field is empty.
            vals["serial_no"] = ""
            return
        problem = serial_problem(serial, self.env)
        if problem:
            raise ValidationError(
                self.env._(
                    "Device %(device)s: %(problem)s; type the serial number again.",
                    device=vals.get("name") or (devices and devices[:1].name) or "-",
                    problem=problem,
                )
            )
        vals["serial_no"] = clean_serial(serial)

    def _get_activity_code_effective_date(self):
        """The date from which a code written now applies: the context key
        ``activity_code_effective_date``, today by default."""
        return fields.Date.to_date(
            self.env.context.get("activity_code_effective_date")
        ) or fields.Date.context_today(self)

    def _record_activity_code_history(self):
        """Start the current activity code in the history from the effective
        date (see ``_get_activity_code_effective_date``)."""
        effective_date = self._get_activity_code_effective_date()
        # One call for every code: a batch of an import names hundreds.
        self.env["it.activity.code.assignment"].sudo()._assign_each(
            self, lambda equipment: equipment.activity_code_id, effective_date
        )
