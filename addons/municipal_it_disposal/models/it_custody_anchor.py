# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class ItCustodyAnchor(models.Model):
    """A head hash of a crate's chain of custody as it was given to the
    other party (in a mail, a printed custody document): the record of what
    the recipient holds, to compare the log with."""

    _name = "it.custody.anchor"
    _description = "Chain of Custody Anchor Given Out"
    _order = "batch_id, id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        comodel_name="it.disposal.batch",
        string="Return Crate",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="batch_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(string="Event", required=True, readonly=True)
    hash = fields.Char(string="SHA-256", required=True, readonly=True)
    channel = fields.Selection(
        selection=[("mail", "Notification mail"), ("pdf", "Custody document")],
        required=True,
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Given To", readonly=True, index="btree_not_null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Recorded by the app's own step as it gives them out (sudo()).
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Custody anchors are recorded only when the app gives them out."
                )
            )
        return super().create(vals_list)

    # Append-only, as the log itself.
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("Custody anchors given out cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Custody anchors given out cannot be deleted."))
