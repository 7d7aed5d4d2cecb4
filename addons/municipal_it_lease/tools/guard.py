# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A context marker that only server code can set.

Posting a charge run writes fields that nobody else may write (the run's state,
the journal entry's link to its run). A context key alone would not do: any
JSON-RPC caller can send one. This marker is a Python object that no request
can carry, so ``is_internal`` is true only for code of these addons.
"""

_INTERNAL = object()


def internal(env, key="it_lease_internal"):
    """``env`` marked as the addon's own code at work (``key`` names the
    step, when a step of its own may skip a check: a rent change writes its
    two halves before checking them together)."""
    return env(context=dict(env.context, **{key: _INTERNAL}))


def is_internal(env, key="it_lease_internal"):
    """Whether ``env`` was marked by ``internal`` with ``key``: a request's
    context may carry the key, never the marker."""
    return env.context.get(key) is _INTERNAL
