# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ItCustodyVerify(models.TransientModel):
    """Check a crate's chain of custody against the anchors the recipient
    holds (pasted from its mails, portal page or custody documents)."""

    _name = "it.custody.verify"
    _description = "Verify Chain of Custody"

    batch_id = fields.Many2one("it.disposal.batch", required=True, ondelete="cascade")
    anchors = fields.Text(
        string="Recipient's Anchors",
        help="The anchors (#event SHA-256) as the recipient holds them; empty: "
        "the anchors recorded as given out.",
    )
    result = fields.Text(readonly=True)

    def action_verify(self):
        self.ensure_one()
        outcome = self.batch_id._verify_custody(
            self.anchors if (self.anchors or "").strip() else None
        )
        if outcome["intact"]:
            self.result = self.env._(
                "The chain of custody of %(crate)s is intact and agrees with the "
                "anchors.",
                crate=self.batch_id.display_name,
            )
        else:
            self.result = "\n".join(
                [
                    self.env._(
                        "The chain of custody of %(crate)s disagrees from event "
                        "#%(sequence)s on:",
                        crate=self.batch_id.display_name,
                        sequence=outcome["first_sequence"],
                    ),
                    *outcome["problems"],
                ]
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Verify Chain of Custody"),
        }
