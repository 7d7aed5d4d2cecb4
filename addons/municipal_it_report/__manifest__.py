# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing Reports",
    "summary": "RKR R5 leasing note, SIE 4I export, CO2e ledger, refurbished "
    "savings, end-of-lease decision aid and an IT manager dashboard",
    "version": "18.0.1.0.0",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["municipal_it_lease", "report_xlsx"],
    "data": [
        "security/municipal_it_report_security.xml",
        "security/ir.model.access.csv",
        "data/it_co2e_factor_data.xml",
        "report/municipal_it_report_reports.xml",
        "views/it_co2e_factor_views.xml",
        "views/it_co2e_entry_views.xml",
        "views/it_r5_note_views.xml",
        "views/it_sie_export_views.xml",
        "views/it_lease_end_aid_views.xml",
        "views/it_refurbished_saving_views.xml",
        "views/account_analytic_plan_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/dashboard_views.xml",
        "views/municipal_it_report_menus.xml",
    ],
    "demo": ["demo/municipal_it_report_demo.xml"],
}
