# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing - Procurement",
    "summary": "IT orders approved by the activity code's budget holder; received "
    "serial numbers become the device register",
    "version": "18.0.1.1.2",
    "category": "Inventory/Purchase",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": [
        "municipal_it_stock",
        "purchase_stock",
        "purchase_tier_validation",
    ],
    "data": [
        "security/municipal_it_purchase_security.xml",
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/tier_definition_data.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/account_analytic_account_views.xml",
        "views/it_lease_rate_views.xml",
        "views/purchase_order_views.xml",
        "views/stock_picking_views.xml",
        "views/maintenance_equipment_views.xml",
        "wizards/stock_picking_serial_import_views.xml",
        "views/municipal_it_purchase_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "municipal_it_purchase/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/municipal_it_purchase_demo.xml",
    ],
}
