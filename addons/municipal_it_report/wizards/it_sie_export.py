# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from decimal import Decimal
from urllib.parse import quote as url_quote

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..tools import sie

PROGRAM_NAME = "Odoo Municipal IT Leasing"
PROGRAM_VERSION = "18.0.1.0.0"


class ItSieExport(models.TransientModel):
    """Export posted journal entries as a SIE 4I file, for import into the
    municipality's finance system."""

    _name = "it.sie.export"
    _description = "SIE 4I Export"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    source = fields.Selection(
        selection=[("run", "A charge run"), ("journal", "A journal and period")],
        required=True,
        default="run",
    )
    charge_run_id = fields.Many2one(
        "it.charge.run",
        check_company=True,
        domain="[('state', '=', 'posted'), ('company_id', '=', company_id)]",
    )
    journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    with_checksum = fields.Boolean(
        string="With Checksum (#KSUMMA)",
        help="Adds a CRC-32 checksum (SIE filformat 4B §10) that the "
        "importing system can verify.",
    )
    date_generated = fields.Date(
        string="Generated On", default=fields.Date.context_today, required=True
    )
    sie_file = fields.Binary(string="File", readonly=True, attachment=False)
    sie_filename = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "it.charge.run" and context.get("active_id"):
            values["source"] = "run"
            values["charge_run_id"] = context["active_id"]
        return values

    def action_export(self):
        """Write the file and offer it for download."""
        self.ensure_one()
        moves = self._get_moves()
        content = sie.write(self._build_sie(moves))
        self.write(
            {
                "sie_file": base64.b64encode(content),
                "sie_filename": self._get_filename(),
            }
        )
        # The file downloads at once; the dialog stays open with its title
        # and the file, to download again.
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/sie_file/"
            f"{url_quote(self.sie_filename)}?download=true",
            "target": "download",
        }

    def _get_filename(self):
        if self.source == "run":
            return f"{self.charge_run_id.name or 'charge'}.si".replace(" ", "_")
        return f"{self.journal_id.code}_{self.date_from}_{self.date_to}.si"

    def _get_moves(self):
        self.ensure_one()
        if self.source == "run":
            run = self.charge_run_id
            if not run or run.state != "posted" or not run.move_id:
                raise UserError(self.env._("Choose a posted charge run to export."))
            moves = run.move_id
        else:
            if not (self.journal_id and self.date_from and self.date_to):
                raise UserError(
                    self.env._("Choose the journal and the period to export.")
                )
            moves = self.env["account.move"].search(
                [
                    ("journal_id", "=", self.journal_id.id),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                    ("state", "=", "posted"),
                ],
                order="date, name, id",
            )
        moves = moves.filtered(lambda move: move.state == "posted")
        if not moves:
            raise UserError(self.env._("There is no posted journal entry to export."))
        return moves

    def _build_sie(self, moves):
        """The :class:`sie.SieFile` of ``moves``: every account used, every
        analytic plan mapped to a dimension with its objects, the counterparty
        code (motpart) on its dimension, one voucher per entry."""
        company = self.company_id
        org_number = self._get_org_number()
        sie_file = sie.SieFile(
            program=PROGRAM_NAME,
            program_version=PROGRAM_VERSION,
            generated=self.date_generated,
            generated_by=self.env.user.name,
            company_name=company.name,
            org_number=org_number,
            with_checksum=self.with_checksum,
            dimensions=self._get_dimensions(moves),
            financial_years=self._get_financial_years(),
            chart_type=self._get_chart_type(),
        )
        # One lookup of the analytic accounts per distribution key.
        exporter = self.with_context(sie_objects_memo={})
        for move in moves.with_company(company):
            sie_file.vouchers.append(exporter._prepare_voucher(sie_file, move))
        return sie_file

    def _get_org_number(self):
        """The company's organisation number as SIE writes it (#ORGNR);
        refused when the company has none or it is not one."""
        company = self.company_id
        if not company.company_registry:
            raise UserError(
                self.env._(
                    "Company %(company)s has no organisation number (Company ID): "
                    "SIE files must carry it.",
                    company=company.name,
                )
            )
        try:
            return sie.format_org_number(company.company_registry)
        except sie.SieError as error:
            raise UserError(
                self.env._(
                    "Company %(company)s: %(error)s", company=company.name, error=error
                )
            ) from error

    def _prepare_voucher(self, sie_file, move):
        """The :class:`sie.SieVoucher` of one journal entry (#VER), its
        accounts, dimensions and objects recorded on ``sie_file``; refused
        when it does not balance in the company currency."""
        voucher = sie.SieVoucher(
            date=move.date,
            text=move.ref or move.name,
            reg_date=self.date_generated,
        )
        for line in move.line_ids.filtered(lambda ml: ml.display_type != "cogs"):
            if line.display_type in ("line_section", "line_note"):
                continue
            voucher.transactions += self._prepare_transactions(sie_file, line)
        if voucher.balance() != 0:
            raise UserError(
                self.env._(
                    "Journal entry %(move)s does not sum to zero in the "
                    "company currency.",
                    move=move.name,
                )
            )
        return voucher

    def _prepare_transactions(self, sie_file, line):
        """The :class:`sie.SieTransaction` of a journal item (#TRANS), one
        per analytic distribution key; its account, dimensions and objects
        recorded on ``sie_file``."""
        account = line.account_id
        sie_file.accounts[account.code] = account.name
        line_objects = self._get_line_objects(line)
        transactions = []
        for objects, amount in self._split_by_objects(line):
            objects = sorted(objects + line_objects, key=lambda obj: obj[0])
            for dim, (code, name, dim_name) in objects:
                sie_file.dimensions[dim] = dim_name
                sie_file.objects[(dim, code)] = name
            transactions.append(
                sie.SieTransaction(
                    account=account.code,
                    objects=[(dim, obj[0]) for dim, obj in objects],
                    amount=amount,
                    text=line.name or "",
                )
            )
        return transactions

    def _get_period(self):
        """(first day, last day) of what is exported."""
        if self.source == "run":
            return self.charge_run_id.date_from, self.charge_run_id.date_to
        return self.date_from, self.date_to

    def _get_financial_years(self):
        """``{0: (first day, last day)}`` of the company's financial year of
        the exported period (#RAR 0), from its fiscal year settings, and
        ``-1``, ``-2``... for the years before it when the period starts in
        an earlier one."""
        first, last = self._get_period()
        years = {}
        index, day = 0, last
        while True:
            year = self.company_id.compute_fiscalyear_dates(day)
            years[index] = (year["date_from"], year["date_to"])
            if year["date_from"] <= first:
                return years
            index, day = index - 1, fields.Date.subtract(year["date_from"], days=1)

    def _get_chart_type(self):
        """The company's chart type for #KPTYP. The specification (4B, §8)
        knows BAS95, BAS96, EUBAS97 and NE2007 (a reader assumes BAS95 when
        the record is missing). A Swedish municipality keeps its accounts on
        BAS as Odoo's Swedish chart (``l10n_se``) has it, or on Kommun-Bas,
        which follows it: both are the EU-adapted BAS of 1997 on, EUBAS97.
        Override for another chart."""
        self.ensure_one()
        return "EUBAS97"

    def _get_dimensions(self, moves):
        """``{dimension: name}`` of every analytic plan mapped to a SIE
        dimension, and of the counterparty code when the company or
        ``moves`` use one; two of them on one dimension are refused, naming
        both."""
        dimensions, plans = {}, {}
        for plan in self.env["account.analytic.plan"].search(
            [("parent_id", "=", False)]
        ):
            number = self._get_plan_dimension(plan)
            if not number:
                continue
            if number in plans:
                raise UserError(
                    self.env._(
                        "Analytic plans %(first)s and %(second)s are both mapped "
                        "to SIE dimension %(number)s: give one of them another "
                        "dimension.",
                        first=plans[number].name,
                        second=plan.name,
                        number=number,
                    )
                )
            plans[number] = plan
            dimensions[number] = plan.name
        counterparty = self.company_id.it_sie_counterparty_dimension
        if counterparty and self._uses_counterparty_code(moves):
            if counterparty in plans:
                raise UserError(
                    self.env._(
                        "Analytic plan %(plan)s and the counterparty code are "
                        "both mapped to SIE dimension %(number)s: give the plan "
                        "or the counterparty code (IT Leasing ▸ Configuration ▸ "
                        "Settings ▸ Reports) another dimension.",
                        plan=plans[counterparty].name,
                        number=counterparty,
                    )
                )
            dimensions[counterparty] = self._get_counterparty_dimension_name()
        return dimensions

    def _uses_counterparty_code(self, moves):
        return bool(self.company_id.it_charge_counterparty_code) or bool(
            self.env["account.move.line"].search_count(
                [("move_id", "in", moves.ids), ("it_counterparty_code", "!=", False)],
                limit=1,
            )
        )

    def _get_counterparty_dimension_name(self):
        return self.env._("Counterparty")

    def _get_line_objects(self, line):
        """Objects of a journal item that are not analytic: its counterparty
        code (motpart), on the company's SIE dimension for it, as
        ``[(dimension, (code, name, dimension name))]``. The code is its own
        name: the chart gives the codes no other."""
        number = self.company_id.it_sie_counterparty_dimension
        code = (line.it_counterparty_code or "").strip()
        if not number or not code:
            return []
        return [(number, (code, code, self._get_counterparty_dimension_name()))]

    def _get_plan_dimension(self, plan):
        """The SIE dimension of an analytic plan, or 0 when not exported."""
        if plan.sie_dimension:
            return plan.sie_dimension
        if plan == self.company_id.it_activity_code_plan_id:
            return 1
        return 0

    def _get_key_objects(self, key):
        """Sorted ``(dimension, (code, name, plan name))`` of one analytic
        distribution key; memoised per export, as many lines share a key."""
        memo = self.env.context.get("sie_objects_memo")
        if memo is not None and key in memo:
            return memo[key]
        accounts = (
            self.env["account.analytic.account"]
            .browse(int(i) for i in key.split(","))
            .exists()
        )
        objects = {}
        for account in accounts:
            plan = account.root_plan_id
            dim = self._get_plan_dimension(plan)
            if dim:
                objects[dim] = (account.code or account.name, account.name, plan.name)
        result = sorted(objects.items())
        if memo is not None:
            memo[key] = result
        return result

    def _split_by_objects(self, line):
        """``[(objects, amount)]`` for a journal item: one part per analytic
        distribution key (accounts of mapped plans only), the amounts rounded
        to cents, the rounding difference on the last part; an unallocated
        share is a part without objects. ``objects`` is a sorted list of
        ``(dimension, (object code, object name, dimension name))``."""
        currency = line.company_currency_id

        def cents(value):
            return Decimal(str(currency.round(value))).quantize(sie.CENT)

        balance = cents(line.balance)
        distribution = line.analytic_distribution or {}
        parts = []
        allocated = Decimal(0)
        percent_total = 0.0
        for key, percent in distribution.items():
            objects = self._get_key_objects(key)
            amount = cents(line.balance * percent / 100)
            parts.append([objects, amount])
            allocated += amount
            percent_total += percent
        if not parts or float_compare(percent_total, 100, precision_digits=4):
            parts.append([[], balance - allocated])
        else:
            parts[-1][1] += balance - allocated
        return [(objects, amount) for objects, amount in parts]
