# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing Device Management",
    "summary": "Update the device register from Intune, Jamf or SCCM exports and "
    "flag devices not seen or not registered",
    "version": "18.0.1.0.2",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["municipal_it_lease"],
    "data": [
        "security/municipal_it_mdm_security.xml",
        "security/ir.model.access.csv",
        "data/it_mdm_source_data.xml",
        "views/it_mdm_import_line_views.xml",
        "views/it_mdm_import_views.xml",
        "views/it_mdm_source_views.xml",
        "views/maintenance_equipment_views.xml",
        "views/municipal_it_mdm_menus.xml",
    ],
    "demo": ["demo/municipal_it_mdm_demo.xml"],
    # Read by the demo import record (its file field), not loaded itself.
    "oca_data_manual": ["demo/intune_export_demo.csv"],
}
