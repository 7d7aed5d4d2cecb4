# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class IrFieldsConverter(models.AbstractModel):
    """Odoo's import looks up a many-to-one by name once per row: a register
    of 100,000 devices on 500 activity codes made 100,000 identical name
    searches. Within one import of devices (see
    ``maintenance.equipment.load``) a name found once is remembered."""

    _inherit = "ir.fields.converter"

    @api.model
    def db_id_for(self, model, field, subfield, value):
        cache = self.env.context.get("it_import_name_cache")
        if cache is None or subfield is not None or not value:
            return super().db_id_for(model, field, subfield, value)
        key = (field.comodel_name, value)
        if key not in cache:
            result = super().db_id_for(model, field, subfield, value)
            if not result[0] or result[2]:
                # Not found (an error, or a record the import creates) or
                # found with a warning: looked up again on each row.
                return result
            cache[key] = result
        return cache[key]
