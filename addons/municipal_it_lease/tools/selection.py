# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def selection_label(record, field_name, value=None):
    """The label of a selection field's value as the user reads it (in the
    environment's language): ``record``'s own value, or ``value``; "" for an
    empty one."""
    field = record._fields[field_name]
    if value is None:
        value = record[field_name]
    return dict(field._description_selection(record.env)).get(value, "")
