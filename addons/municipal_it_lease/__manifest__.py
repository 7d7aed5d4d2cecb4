# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing",
    "summary": "Register of leased IT devices and lease contracts for municipalities",
    "version": "18.0.1.0.0",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "application": True,
    "installable": True,
    "depends": [
        "analytic",
        "base_import",
        "hr_maintenance",
        "product",
    ],
    "data": [
        "security/municipal_it_lease_security.xml",
        "security/ir.model.access.csv",
        "data/account_analytic_plan_data.xml",
        "views/maintenance_equipment_views.xml",
        "views/it_asset_site_views.xml",
        "views/it_asset_software_views.xml",
        "views/it_lease_line_views.xml",
        "views/it_lease_schedule_views.xml",
        "views/it_lease_agreement_views.xml",
        "views/account_analytic_account_views.xml",
        "views/res_config_settings_views.xml",
        "views/municipal_it_lease_menus.xml",
    ],
    "demo": [
        "demo/municipal_it_lease_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
