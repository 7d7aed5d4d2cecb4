# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .res_company import WIPE_LEVELS

# What an IT manager may still record on an imported certificate (the
# exception only through action_accept_exception); the rest is the
# recipient's evidence and stays as imported.
MANAGER_FIELDS = {
    "exception_accepted",
    "exception_reason",
    "exception_user_id",
    "exception_date",
    "witnessed_on_site",
    "witness_name",
}
# What a certificate keeps of its erasure, as the report gave it, in the
# order of a CSV export's columns (tools/sanitization_report.py): the import
# copies these fields and nothing changes them afterwards.
CERTIFICATE_EVIDENCE = (
    "report_ref",
    "device_serial",
    "medium_serial",
    "method",
    "level",
    "tool",
    "tool_version",
    "status",
    "operator",
    "date_start",
    "date_end",
    "verification",
)
# The recipient's evidence, as imported: never changed afterwards (the match
# in the register, the validity and the accepted exceptions are declared
# ``it_system`` on their fields: set by the import and by accepting the
# exceptions, which asks a reason).
EVIDENCE_FIELDS = {"report_id", "company_id", *CERTIFICATE_EVIDENCE}


def refuse_unless_imported(model):
    """Wipe certificates and sanitization reports are created by importing a
    report file (the import's own step, under sudo), never by hand."""
    if not model.env.su:
        raise UserError(
            model.env._(
                "%(model)s records are created only by importing a sanitization "
                "report file.",
                model=model._description,
            )
        )


class ItWipeCertificate(models.Model):
    """Proof that one storage medium was sanitized (or not), from an
    imported sanitization report."""

    _name = "it.wipe.certificate"
    _description = "Wipe Certificate"
    _inherit = ["mail.thread", "it.system.fields.mixin"]
    _order = "date_end desc, id desc"
    _rec_name = "medium_serial"
    _check_company_auto = True

    report_id = fields.Many2one(
        comodel_name="it.wipe.report",
        string="Sanitization Report",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    # Written by the import with the report's company, not a related field:
    # a precomputed related field costs a new record per certificate.
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True
    )
    medium_id = fields.Many2one(
        comodel_name="it.storage.medium",
        string="Storage Medium",
        index="btree_not_null",
        readonly=True,
        check_company=True,
        ondelete="set null",
        it_system=True,
    )
    equipment_id = fields.Many2one(
        comodel_name="maintenance.equipment",
        string="Device",
        index="btree_not_null",
        readonly=True,
        check_company=True,
        ondelete="set null",
        it_system=True,
    )
    is_matched = fields.Boolean(
        string="Matched",
        compute="_compute_is_matched",
        store=True,
        it_system=True,
        help="The device serial of the report was found in the register.",
    )
    report_ref = fields.Char(string="Report ID", readonly=True, index=True)
    device_serial = fields.Char(readonly=True)
    medium_serial = fields.Char(readonly=True)
    method = fields.Char(string="Erasure Standard", readonly=True)
    level = fields.Selection(selection=WIPE_LEVELS, required=True, readonly=True)
    tool = fields.Char(readonly=True)
    tool_version = fields.Char(readonly=True)
    status = fields.Selection(
        selection=[
            ("erased", "Erased"),
            ("erased_exceptions", "Erased with exceptions"),
            ("not_erased", "Not erased"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    operator = fields.Char(readonly=True)
    date_start = fields.Datetime(string="Started", readonly=True)
    date_end = fields.Datetime(string="Finished", readonly=True)
    verification = fields.Char(readonly=True)
    witnessed_on_site = fields.Boolean(
        tracking=True,
        help="The sanitization was witnessed on the municipality's premises: "
        "the only sanitization a classified device accepts besides destruction.",
    )
    witness_name = fields.Char(tracking=True)
    exception_accepted = fields.Boolean(readonly=True, tracking=True, it_system=True)
    exception_reason = fields.Text(readonly=True, tracking=True, it_system=True)
    exception_user_id = fields.Many2one(
        "res.users",
        string="Exception Accepted By",
        readonly=True,
        tracking=True,
        it_system=True,
    )
    exception_date = fields.Datetime(
        string="Exception Accepted On", readonly=True, it_system=True
    )
    is_valid = fields.Boolean(
        string="Valid",
        compute="_compute_is_valid",
        store=True,
        it_system=True,
        help="Erased, or erased with exceptions that an IT manager accepted.",
    )

    @api.depends("equipment_id")
    def _compute_is_matched(self):
        for certificate in self:
            certificate.is_matched = bool(certificate.equipment_id)

    @api.depends("status", "exception_accepted")
    def _compute_is_valid(self):
        for certificate in self:
            certificate.is_valid = certificate.status == "erased" or (
                certificate.status == "erased_exceptions"
                and certificate.exception_accepted
            )

    @api.model_create_multi
    def create(self, vals_list):
        refuse_unless_imported(self)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & EVIDENCE_FIELDS and not self.env.su:
            raise UserError(
                self.env._(
                    "A wipe certificate is the recipient's evidence and cannot "
                    "be changed; import a new report instead."
                )
            )
        if set(vals) & MANAGER_FIELDS:
            self._check_it_manager()
        return super().write(vals)

    def _check_it_manager(self):
        if not self.env.user.has_group(
            "municipal_it_lease.municipal_it_lease_group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only an IT leasing manager may accept certificate exceptions "
                    "or record a witnessed sanitization."
                )
            )

    def action_accept_exception(self, reason):
        """Accept an erasure with exceptions; only an IT manager, only with a
        reason, recorded on the certificate's history."""
        self._check_it_manager()
        self.check_access("write")
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for accepting the exceptions."))
        for certificate in self:
            if certificate.status != "erased_exceptions":
                raise UserError(
                    self.env._(
                        "Certificate of medium %(medium)s was not erased with "
                        "exceptions: there is nothing to accept.",
                        medium=certificate.medium_serial,
                    )
                )
        # Checked above (an IT manager, a reason, erased with exceptions):
        # the accepted exception is written as the action's own step.
        self.sudo().write(
            {
                "exception_accepted": True,
                "exception_reason": reason.strip(),
                "exception_user_id": self.env.uid,
                "exception_date": fields.Datetime.now(),
            }
        )
        return True

    def action_open_accept_exception(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Accept Exceptions"),
            "res_model": "it.disposal.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": str(self.ids),
                "default_action": "accept_exception",
            },
        }
