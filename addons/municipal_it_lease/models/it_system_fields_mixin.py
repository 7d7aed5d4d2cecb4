# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class ItSystemFieldsMixin(models.AbstractModel):
    """Fields that only the app writes.

    A model inherits this mixin and declares such a field once, where the
    field is defined: ``state = fields.Selection(..., it_system=True)`` (states,
    links to journal entries, results of a computation or an import).

    For every caller that is not the superuser, ``create`` refuses a value of
    such a field that differs from the field's default and ``write`` refuses a
    change of it (a form saving back the value it read changes nothing and
    passes). The ``default_<field>`` keys of a request's context are dropped in
    every case, so they reach no step of the app either.

    The app's own steps (its buttons, imports, jobs) check the user's right
    first (``check_access``, a state, a group) and then write with ``sudo()``:
    Odoo's own way past a rule, which no request can carry.
    """

    _name = "it.system.fields.mixin"
    _description = "Fields only the app writes"

    # Set on each registry class when its fields are set up (_setup_complete).
    _it_system_fields = frozenset()

    def _valid_field_parameter(self, field, name):
        return name == "it_system" or super()._valid_field_parameter(field, name)

    @api.model
    def _setup_complete(self):
        res = super()._setup_complete()
        # The declarations do not change once the fields are set up: walk the
        # fields once per registry (each registry has its own model classes,
        # set up again when modules or custom fields change), not on every
        # create and write.
        cls = self.env.registry[self._name]
        cls._it_system_fields = frozenset(
            name
            for name, field in cls._fields.items()
            if getattr(field, "it_system", False)
        )
        return res

    @api.model
    def _it_system_field_names(self):
        """The fields of this model declared with ``it_system=True``."""
        return self._it_system_fields

    @api.model_create_multi
    def create(self, vals_list):
        names = self._it_system_field_names()
        model = self._it_without_system_defaults(names)
        if not model.env.su:
            own = None
            refused = set()
            for vals in vals_list:
                given = names & vals.keys()
                if given and own is None:
                    own = model.default_get(list(names))
                refused |= {
                    name
                    for name in given
                    if model._it_differs(name, vals[name], own.get(name))
                }
            if refused:
                model._it_refuse_system_fields(refused)
        return super(ItSystemFieldsMixin, model).create(vals_list)

    def write(self, vals):
        if not self.env.su:
            refused = self._it_system_fields_changed(vals)
            if refused:
                self._it_refuse_system_fields(refused)
        return super().write(vals)

    def _it_without_system_defaults(self, names):
        """``self`` without the context's ``default_<field>`` of ``names``."""
        dropped = {f"default_{name}" for name in names} & self.env.context.keys()
        if not dropped:
            return self
        return self.with_env(
            self.env(
                context={
                    key: value
                    for key, value in self.env.context.items()
                    if key not in dropped
                }
            )
        )

    def _it_system_fields_changed(self, vals, names=None):
        """The system fields (or ``names``) that ``vals`` would change on some
        of ``self``."""
        if names is None:
            names = self._it_system_field_names()
        return {
            name
            for name in set(names) & vals.keys()
            for record in self
            if record._it_differs(name, vals[name], record[name])
        }

    def _it_differs(self, name, value, current):
        field = self._fields[name]
        record = self[:1] or self
        try:
            return field.convert_to_cache(value, record) != field.convert_to_cache(
                current, record
            )
        except (ValueError, TypeError):
            return True

    def _it_refuse_system_fields(self, names):
        raise UserError(
            self.env._(
                "%(model)s: %(fields)s cannot be set directly; the app sets it "
                "itself (its buttons, imports and computations).",
                model=self._description,
                fields=", ".join(
                    sorted(
                        self._fields[name].get_description(self.env)["string"]
                        for name in names
                    )
                ),
            )
        )
