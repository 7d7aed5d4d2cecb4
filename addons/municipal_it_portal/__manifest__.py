# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing: Lessor Portal",
    "summary": "The lessor's staff see and answer their agreements, schedules, "
    "devices and invoice reconciliations in the portal",
    "version": "18.0.1.0.1",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["municipal_it_lease", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/municipal_it_portal_security.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "views/portal_templates.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/municipal_it_portal_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "municipal_it_portal/static/tests/tours/*.js",
        ],
    },
}
