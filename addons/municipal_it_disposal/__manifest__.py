# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Disposal",
    "summary": "Return crates with chain of custody, per-medium wipe certificates, "
    "grading and settlement of leased municipal IT devices",
    "version": "18.0.1.0.4",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["municipal_it_lease"],
    "external_dependencies": {"python": ["lxml"]},
    "data": [
        "security/ir.model.access.csv",
        "security/municipal_it_disposal_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "report/it_disposal_batch_reports.xml",
        "views/it_custody_event_views.xml",
        "views/it_storage_medium_views.xml",
        "views/it_wipe_certificate_views.xml",
        "views/it_wipe_report_views.xml",
        "views/it_disposal_batch_line_views.xml",
        "views/it_disposal_batch_views.xml",
        "views/maintenance_equipment_views.xml",
        "views/it_lease_schedule_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/it_disposal_add_serials_views.xml",
        "wizards/it_disposal_receipt_views.xml",
        "wizards/it_wipe_report_import_views.xml",
        "wizards/it_disposal_reason_views.xml",
        "wizards/it_custody_verify_views.xml",
        "views/municipal_it_disposal_menus.xml",
    ],
    "demo": [
        "demo/municipal_it_disposal_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "municipal_it_disposal/static/src/js/*.esm.js",
        ],
        "web.assets_tests": [
            "municipal_it_disposal/static/tests/tours/*.esm.js",
        ],
    },
}
