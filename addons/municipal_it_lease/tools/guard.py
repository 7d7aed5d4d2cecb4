# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A context marker that only server code can set.

Posting a charge run writes fields that nobody else may write (the run's state,
the journal entry's link to its run). A context key alone would not do: any
JSON-RPC caller can send one. This marker is a Python object that no request
can carry, so ``is_internal`` is true only for code of these addons.
"""

from odoo.exceptions import UserError

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


def _refuse(model, names):
    raise UserError(
        model.env._(
            "%(model)s: %(fields)s cannot be set directly; the app sets it itself "
            "(its buttons, imports and computations).",
            model=model._description,
            fields=", ".join(
                sorted(
                    model._fields[name].get_description(model.env)["string"]
                    for name in names
                )
            ),
        )
    )


def system_create(model, vals_list, names, key="it_lease_internal"):
    """``model`` to create ``vals_list`` with, in a guarded ``create``
    (``super(Model, system_create(self, ...)).create(vals_list)``).

    Values of ``names`` (fields only the addons' own steps write: states,
    links to entries, results of a computation) that differ from the fields'
    own defaults are refused, unless ``internal`` marked the environment with
    ``key``. The defaults a request's context would give them
    (``default_state``) are dropped in every case: they count for nothing,
    also when the request's context reaches a step of the addons' own (a
    validation requested with ``default_status="approved"``)."""
    names = set(names)
    context = model.env.context
    dropped = {f"default_{name}" for name in names} & context.keys()
    if dropped:
        model = model.with_env(
            model.env(context={k: v for k, v in context.items() if k not in dropped})
        )
    if not is_internal(model.env, key) and any(
        names & vals.keys() for vals in vals_list
    ):
        own = model.default_get(list(names))
        refused = {
            name
            for vals in vals_list
            for name in names & vals.keys()
            if _differs(model, name, vals[name], own.get(name))
        }
        if refused:
            _refuse(model, refused)
    return model


def changed_fields(records, vals, names):
    """The fields of ``names`` that ``vals`` would change on some of
    ``records``. A value-equal write, such as a form saving what it read,
    changes nothing."""
    return {
        name
        for name in set(names) & vals.keys()
        for record in records
        if _differs(record, name, vals[name], record[name])
    }


def refuse_system_writes(records, vals, names, key="it_lease_internal"):
    """On write: refuse changing ``names`` (see ``system_create``) on
    ``records`` unless ``internal`` marked the environment with ``key``."""
    if not set(names) & vals.keys() or is_internal(records.env, key):
        return
    refused = changed_fields(records, vals, names)
    if refused:
        _refuse(records, refused)


def _differs(record, name, value, current):
    field = record._fields[name]
    try:
        return field.convert_to_cache(value, record) != field.convert_to_cache(
            current, record
        )
    except (ValueError, TypeError):
        return True
