# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from odoo import Command, fields, models
from odoo.exceptions import UserError

from ..tools.chatter import log_note


class ItLeaseLine(models.Model):
    """The end-of-lease decisions (return, buy-out, extension) and the return.

    Each step checks that the user may change the lines, then writes what
    only it sets (the decision, its dates, the bill, the extension) with
    ``sudo()``."""

    _inherit = "it.lease.line"

    def _get_decision_values(self, decision):
        return {
            "end_decision": decision,
            "decision_date": fields.Date.context_today(self),
            "decision_user_id": self.env.uid,
        }

    def _check_undecided(self):
        decided = self.filtered("end_decision")
        if decided:
            raise UserError(
                self.env._(
                    "Already decided: %(devices)s.",
                    devices=", ".join(decided.mapped("equipment_id.display_name")),
                )
            )

    def _decide_return(self):
        """Return the devices at lease end: the devices are marked for return;
        the lease line is charged until its end date, or, when the rent
        continues until the device is returned, until the lessor takes it back
        (see :meth:`_register_return`)."""
        self._check_undecided()
        self.check_access("write")
        self.sudo().write(self._get_decision_values("return"))
        self.equipment_id.write({"return_requested": True})
        return True

    def _register_return(self, date_returned):
        """Record that the lessor took these devices back on ``date_returned``:
        a line that runs on after its end date is charged until that day.

        A receipt confirmed late may fall in a month already charged and
        posted: the posted month stays true, so the charge then stops after
        the last posted day instead (reverse that month to charge less)."""
        self.check_access("write")
        last_posted = self._get_last_posted_charge_days()
        for line in self:
            last = last_posted.get(line.id)
            day = max(date_returned, last) if last else date_returned
            line.sudo().write({"date_returned": day})
            if day != date_returned:
                log_note(
                    line.schedule_id,
                    body=self.env._(
                        "Device %(device)s was taken back on %(date)s, but it is "
                        "charged in posted months until %(last)s: its charge stops "
                        "then. Reverse those months to charge it less.",
                        device=line.equipment_id.display_name,
                        date=date_returned,
                        last=day,
                    ),
                )
        return True

    def _get_last_posted_charge_days(self):
        """{lease line id: last day charged in a posted run}."""
        if not self.ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT charge.lease_line_id, MAX(charge.date_to)
              FROM it_charge_line charge
              JOIN it_charge_run run ON run.id = charge.run_id AND run.state = 'posted'
             WHERE charge.lease_line_id = ANY(%s)
          GROUP BY charge.lease_line_id
            """,
            [self.ids],
        )
        return dict(self.env.cr.fetchall())

    def _decide_buy_out(self, date_bought=None):
        """Buy the devices out at their residual value on ``date_bought``
        (default today): the lease lines are charged until that day, the
        devices become owned, and one draft vendor bill per lessor and currency
        asks the lessor's price."""
        self._check_undecided()
        self.check_access("write")
        date_bought = date_bought or fields.Date.context_today(self)
        for line in self:
            if date_bought < line.date_start:
                raise UserError(
                    self.env._(
                        "Device %(device)s: the buy-out date %(date)s is before "
                        "its lease started (%(start)s).",
                        device=line.equipment_id.display_name,
                        date=date_bought,
                        start=line.date_start,
                    )
                )
        bills = self.env["account.move"]
        for (lessor, company, currency), lines in self.grouped(
            lambda line: (line.lessor_id, line.company_id, line.currency_id)
        ).items():
            lines.sudo().write(
                dict(
                    self._get_decision_values("buy_out"),
                    date_decision_effective=date_bought,
                )
            )
            # The IT leasing manager decides; accounting checks and posts the
            # draft bill, so creating it needs no accounting rights.
            bill = (
                self.env["account.move"]
                .sudo()
                .create(
                    lines._prepare_buyout_bill_vals(
                        lessor, company, currency, date_bought
                    )
                )
            )
            lines.sudo().write({"buyout_move_id": bill.id})
            lines.equipment_id.write({"is_owned": True, "return_requested": False})
            bills |= bill
        return bills

    def _prepare_buyout_bill_vals(self, lessor, company, currency, date_bought):
        account = company.it_buyout_account_id
        if not account:
            raise UserError(
                self.env._(
                    "Choose the buy-out account of %(company)s in the IT Leasing "
                    "settings first.",
                    company=company.name,
                )
            )
        return {
            "move_type": "in_invoice",
            "partner_id": lessor.id,
            "company_id": company.id,
            "currency_id": currency.id,
            "invoice_date": date_bought,
            "ref": self.env._(
                "Buy-out %(schedules)s",
                schedules=", ".join(sorted(set(self.schedule_id.mapped("name")))),
            ),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": self.env._(
                            "Buy-out of %(device)s (schedule %(schedule)s)",
                            device=line.equipment_id.display_name,
                            schedule=line.schedule_id.name,
                        ),
                        "quantity": 1,
                        "price_unit": line.residual_value,
                        "account_id": account.id,
                        "tax_ids": [Command.clear()],
                    }
                )
                for line in self
            ],
        }

    def _decide_extend(self, date_from, date_end, monthly_rents):
        """Extend the lease from ``date_from`` to ``date_end`` at the new
        monthly rents (``{line: rent}``) on an extension schedule (annex) of
        the same master agreement; the original schedule stays as it was.
        Returns the new lease lines."""
        self._check_undecided()
        self.check_access("write")
        new_lines = self.browse()
        for schedule, lines in self.grouped("schedule_id").items():
            for line in lines:
                if date_from <= line.date_end or date_end < date_from:
                    raise UserError(
                        self.env._(
                            "Device %(device)s: an extension starts after the "
                            "current term ends (%(end)s) and ends after it starts.",
                            device=line.equipment_id.display_name,
                            end=line.date_end,
                        )
                    )
            lines.sudo().write(
                dict(
                    self._get_decision_values("extend"),
                    date_decision_effective=date_from,
                )
            )
            extension = schedule._get_extension_schedule(date_from, date_end)
            created = self.create(
                [
                    {
                        "schedule_id": extension.id,
                        "equipment_id": line.equipment_id.id,
                        "date_start": date_from,
                        "date_end": date_end,
                        "monthly_rent": monthly_rents.get(line, line.monthly_rent),
                        "residual_value": line.residual_value,
                    }
                    for line in lines
                ]
            )
            for line, new_line in zip(lines, created, strict=True):
                line.sudo().extension_line_id = new_line
            # The devices' value when extended: their buy-out price.
            extension.fair_value = sum(extension.line_ids.mapped("residual_value"))
            if extension.state == "draft":
                extension.action_activate()
            new_lines |= created
        return new_lines
