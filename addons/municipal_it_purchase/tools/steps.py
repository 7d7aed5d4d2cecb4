# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Keys of the markers of this addon's own steps (see municipal_it_lease's
``tools.guard``)."""

# The receipt and the return to the vendor: the purchase links of a device,
# the financing of an order line once confirmed.
PURCHASE_STEP = "it_purchase_internal"
# OCA's steps of a tier validation: request, validate, reject, restart.
TIER_STEP = "it_purchase_tier_step"
