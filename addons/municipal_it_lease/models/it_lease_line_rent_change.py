# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# One model split over files by concern (see docs/ARCHITECTURE.md), not two
# classes that could be merged:
# pylint: disable=consider-merging-classes-inherited

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.access import IT_MANAGER, check_groups
from .it_lease_line import DEFERRED_OVERLAP, RENT_CHANGE


class ItLeaseLine(models.Model):
    """A rent changed from a date: the running line ends the day before and
    a new line continues it at the new rent, so no posted month changes."""

    _inherit = "it.lease.line"

    def action_change_rent(self):
        check_groups(self, self.env._("change a rent"), IT_MANAGER)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Rent"),
            "res_model": "it.lease.rent.change",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_lease_line_id": self.id,
                "default_monthly_rent": self.monthly_rent,
            },
        }

    def _change_rent(self, date_from, monthly_rent):
        """Change the monthly rent from ``date_from`` on: the line ends the day
        before and a new line continues it at the new rent, so no posted month
        changes. From the line's first day, the rent itself is changed."""
        check_groups(self, self.env._("change a rent"), IT_MANAGER)
        self.check_access("write")
        new_lines = self.browse()
        for line in self:
            if date_from <= line.date_start:
                line.monthly_rent = monthly_rent
                new_lines |= line
                continue
            if line.date_charged_until and date_from > line.date_charged_until:
                raise UserError(
                    self.env._(
                        "Device %(device)s is not charged after %(date)s: there is "
                        "no rent to change from %(from)s.",
                        device=line.equipment_id.display_name,
                        date=line.date_charged_until,
                        **{"from": date_from},
                    )
                )
            new_lines |= line._continue_at_rent(date_from, monthly_rent).with_env(
                self.env
            )
        return new_lines

    def _continue_at_rent(self, date_from, monthly_rent):
        """End this line the day before ``date_from`` and continue it on a new
        line at ``monthly_rent``, with the same end-of-lease facts; returns the
        new line. Both halves are checked for overlaps once both are written."""
        self.ensure_one()
        values = self.copy_data(
            {
                "date_start": date_from,
                "date_end": max(self.date_end, date_from),
                "monthly_rent": monthly_rent,
            }
        )[0]
        for field in ("end_decision", "decision_date", "decision_user_id"):
            values[field] = self[field].id if field.endswith("_id") else self[field]
        values["date_decision_effective"] = self.date_decision_effective
        values["date_returned"] = self.date_returned
        changing = self.sudo().with_context(**{RENT_CHANGE: True})
        changing.write({"date_end": fields.Date.subtract(date_from, days=1)})
        new_line = changing.create(values)
        changing.continued_by_id = new_line
        changing._check_deferred_overlap()
        return new_line

    def _defer_overlap_check(self):
        """Check these lines for overlaps later: when the rent change that
        writes them has written both halves (``_check_deferred_overlap``), and
        at the latest before the transaction commits, as a deferred
        constraint. Whatever else runs under the context key is so checked
        too."""
        precommit = self.env.cr.precommit
        pending = precommit.data.setdefault(DEFERRED_OVERLAP, set())
        if not pending:
            precommit.add(self._check_deferred_overlap)
        pending.update(self.ids)

    def _check_deferred_overlap(self):
        """Run the overlap check of the lease lines deferred so far."""
        pending = self.env.cr.precommit.data.pop(DEFERRED_OVERLAP, set())
        lines = (
            self.env["it.lease.line"]
            .with_context(**{RENT_CHANGE: False})
            .browse(pending)
            .exists()
        )
        lines._check_no_overlap()
