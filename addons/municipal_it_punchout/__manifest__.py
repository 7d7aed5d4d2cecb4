# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing - Punchout",
    "summary": "Fill a cart in the reseller's web shop (OCI 5.0 or cXML 1.2) and "
    "get it back as a draft IT purchase order",
    "version": "18.0.1.0.1",
    "category": "Inventory/Purchase",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": [
        "municipal_it_purchase",
    ],
    "external_dependencies": {"python": ["lxml", "requests"]},
    "data": [
        "security/municipal_it_punchout_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "data/product_data.xml",
        "views/it_punchout_account_views.xml",
        "views/purchase_order_views.xml",
        "views/res_users_views.xml",
        "views/punchout_templates.xml",
        "views/municipal_it_punchout_menus.xml",
    ],
    "demo": [
        "demo/municipal_it_punchout_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "municipal_it_punchout/static/tests/tours/*.js",
        ],
    },
}
