# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import SUPERUSER_ID, api

TEMPLATES = (
    "mail_template_crate_collected",
    "mail_template_crate_receipt_reminder",
    "mail_template_crate_disputed",
)


def migrate(cr, version):
    """The crate mails now give the custody anchor: reload their bodies
    (noupdate records) from the module's data, translations included."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for name in TEMPLATES:
        template = env.ref(f"municipal_it_portal_disposal.{name}", False)
        if template:
            template.reset_template()
