# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A context marker that only server code can set.

Posting a charge run writes fields that nobody else may write (the run's state,
the journal entry's link to its run). A context key alone would not do: any
JSON-RPC caller can send one. This marker is a Python object that no request
can carry, so ``is_internal`` is true only for code of these addons.
"""

_INTERNAL = object()


def internal(env):
    """``env`` marked as the addon's own code at work."""
    return env(context=dict(env.context, it_lease_internal=_INTERNAL))


def is_internal(env):
    return env.context.get("it_lease_internal") is _INTERNAL
