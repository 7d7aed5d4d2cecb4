# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from .it_co2e_factor import DEVICE_CATEGORIES

EVENTS = [
    ("refurbished_received", "Refurbished device received"),
    ("remarketed", "Returned device remarketed"),
    ("extended", "Lease extended"),
    ("destroyed", "Device destroyed"),
]


class ItCo2eEntry(models.Model):
    """One event's climate effect for one device. The factor's figures are
    copied onto the entry, so a later factor version never changes it."""

    _name = "it.co2e.entry"
    _description = "CO2e Ledger Entry"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "equipment_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    event = fields.Selection(selection=EVENTS, required=True, readonly=True)
    party = fields.Selection(
        selection=[("buyer", "Buyer"), ("seller", "Seller"), ("lessee", "Lessee")],
        required=True,
        readonly=True,
        help="Whose saving the entry counts: the municipality buying a "
        "refurbished unit, the lessor remarketing a returned one, or the "
        "municipality keeping a leased one longer.",
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    device_category = fields.Selection(
        selection=DEVICE_CATEGORIES, string="Device Type", readonly=True
    )
    activity_code_id = fields.Many2one(
        "account.analytic.account", readonly=True, index=True
    )
    department_id = fields.Many2one("hr.department", readonly=True, index=True)
    factor_id = fields.Many2one(
        "it.co2e.factor", string="Factor Version", readonly=True, ondelete="restrict"
    )
    factor_kg = fields.Float(
        string="Factor (kg CO2e)",
        digits=(16, 4),
        readonly=True,
        help="kg per unit the entry was computed with, copied from the factor.",
    )
    share = fields.Float(
        string="Share (%)",
        digits=(16, 4),
        readonly=True,
        help="Allocation share of the party (or, for an extension, the avoided "
        "share of a new unit).",
    )
    kg_co2e = fields.Float(
        string="Saved (kg CO2e)", digits=(16, 4), readonly=True, aggregator="sum"
    )
    source = fields.Char(readonly=True)
    source_year = fields.Integer(readonly=True)
    method = fields.Text(readonly=True)
    origin_ref = fields.Char(
        string="Origin",
        readonly=True,
        help="The document that caused the event (receipt, lease line, "
        "disposal); an event is recorded once per device and origin.",
    )

    _sql_constraints = [
        (
            "event_once",
            # NULLS NOT DISTINCT (PostgreSQL 15+): an event without origin is
            # recorded once too, even by two concurrent transactions.
            "UNIQUE NULLS NOT DISTINCT (company_id, equipment_id, event, origin_ref)",
            "This event is already in the CO2e ledger for this device.",
        ),
    ]

    # The ledger is append-only: every write is refused, so nothing to pass to super().
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(
            self.env._(
                "CO2e ledger entries are never changed: a new factor applies to "
                "new events only."
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("CO2e ledger entries cannot be deleted."))

    # Business API, called by the procurement, disposal and lease addons.

    @api.model
    def _record_event(self, event, devices, date, origin_ref="", months=0, strict=True):
        """Record ``event`` for ``devices`` on ``date`` and return the new
        entries. Idempotent: a device already recorded for the same event and
        ``origin_ref`` is skipped. ``months`` is the extension's length for
        ``extended``. Raises when a device type has no factor valid on the date
        (except for ``destroyed``, which saves nothing); with ``strict=False``
        such a device is skipped instead."""
        if not isinstance(devices, models.BaseModel):
            devices = self.env["maintenance.equipment"].browse(devices)
        if event not in dict(EVENTS):
            raise UserError(self.env._("Unknown CO2e event %(event)s.", event=event))
        existing = self.sudo().search(
            [
                ("equipment_id", "in", devices.ids),
                ("event", "=", event),
                ("origin_ref", "=", origin_ref or False),
            ]
        )
        vals_list = []
        for device in devices - existing.equipment_id:
            factor = self.env["it.co2e.factor"]._get_factor(
                device.device_category, date, device.company_id
            )
            if not factor and event != "destroyed":
                if not strict:
                    continue
                raise UserError(
                    self.env._(
                        "No CO2e factor for device type %(category)s valid on "
                        "%(date)s (device %(device)s): add one in the CO2e factor "
                        "table.",
                        category=device.device_category or "other",
                        date=date,
                        device=device.display_name,
                    )
                )
            vals_list.append(
                self._prepare_entry_vals(
                    event, device, factor, date, origin_ref, months
                )
            )
        # The ledger is written by whoever triggers the event (a receipt, a
        # decision); its access rules only restrict reading.
        return self.sudo().create(vals_list).sudo(False)

    def _prepare_entry_vals(self, event, device, factor, date, origin_ref, months):
        party, factor_kg, share = self._get_event_figures(event, factor, months)
        return {
            "company_id": device.company_id.id,
            "date": date,
            "event": event,
            "party": party,
            "equipment_id": device.id,
            "device_category": device.device_category,
            "activity_code_id": device.activity_code_id.id,
            "department_id": device.department_id.id,
            "factor_id": factor.id,
            "factor_kg": factor_kg,
            "share": share,
            "kg_co2e": float_round(factor_kg * share / 100, precision_digits=4),
            "source": factor.source,
            "source_year": factor.source_year,
            "method": factor.method,
            "origin_ref": origin_ref or False,
        }

    @api.model
    def _get_event_figures(self, event, factor, months):
        """(party, kg per unit, share in %) of an event: the rule per event."""
        if event == "refurbished_received":
            return "buyer", factor.kg_saving_reuse, factor.buyer_share
        if event == "remarketed":
            return "seller", factor.kg_saving_reuse, factor.seller_share
        if event == "extended":
            # Keeping a unit N more months avoids N / service life of a new
            # unit's manufacturing.
            share = min(100.0, 100.0 * months / factor.service_life_months)
            return "lessee", factor.kg_manufacturing, share
        return "lessee", 0.0, 0.0

    @api.model
    def _record_refurbished_received(self, devices, date, origin_ref=""):
        """Buyer's saving for refurbished ``devices`` received on ``date``
        (the procurement addon calls this on a receipt)."""
        return self._record_event("refurbished_received", devices, date, origin_ref)

    @api.model
    def _record_remarketed(self, devices, date, origin_ref=""):
        """Seller's saving for returned ``devices`` the lessor graded for
        reuse and remarketed (the disposal addon calls this)."""
        return self._record_event("remarketed", devices, date, origin_ref)

    @api.model
    def _record_destroyed(self, devices, date, origin_ref=""):
        """A destroyed device: recorded, saving nothing."""
        return self._record_event("destroyed", devices, date, origin_ref)
