# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing: Lessor Portal for Return Crates",
    "summary": "The lessor confirms receipt, grades, values and uploads "
    "sanitization reports of return crates in the portal",
    "version": "18.0.1.0.3",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "auto_install": True,
    "depends": ["municipal_it_portal", "municipal_it_disposal"],
    "data": [
        "security/ir.model.access.csv",
        "security/municipal_it_portal_disposal_security.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/municipal_it_portal_disposal_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "municipal_it_portal_disposal/static/tests/tours/*.js",
        ],
    },
}
