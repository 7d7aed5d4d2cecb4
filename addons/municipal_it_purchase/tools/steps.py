# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Keys of the markers of this addon's own steps (see municipal_it_lease's
``tools.guard``)."""

# The receipt and the return to the vendor: the purchase links of a device,
# the financing of an order line once confirmed.
PURCHASE_STEP = "it_purchase_internal"
# OCA's steps of a tier validation: request, validate, reject, restart.
TIER_STEP = "it_purchase_tier_step"
# A write of an order's lines through the order: the attest is checked once,
# when the order's write ends, not after each line.
ATTEST_DEFERRED = "it_purchase_attest_deferred"


class ReopenedCodes(frozenset):
    """The activity code ids whose attest a change of the amount re-opens,
    carried in the context of the re-opened request. A request's context
    cannot hold this class (JSON has no such value), so a caller cannot
    narrow an attest to the codes of their choice."""


def reopened_codes(env):
    """The ids of the re-opened codes (``ReopenedCodes``), or None when the
    request covers every code of the order."""
    codes = env.context.get("it_reopened_codes")
    return codes if isinstance(codes, ReopenedCodes) else None
