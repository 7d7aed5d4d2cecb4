# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Keys of the markers of this addon's own steps (see municipal_it_lease's
``tools.guard``), and what a guarded ``create`` needs besides."""

# The receipt and the return to the vendor: the purchase links of a device,
# the financing of an order line once confirmed.
PURCHASE_STEP = "it_purchase_internal"
# OCA's steps of a tier validation: request, validate, reject, restart.
TIER_STEP = "it_purchase_tier_step"


def without_defaults(records, names):
    """``records`` without the context defaults of ``names``: a request may
    send ``default_<field>`` in its context, which ``create`` would apply
    after the guard compared the values with these very defaults."""
    context = {
        key: value
        for key, value in records.env.context.items()
        if not (key.startswith("default_") and key[len("default_") :] in names)
    }
    return records.with_env(records.env(context=context))
