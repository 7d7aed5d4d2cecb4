# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing - Inventory",
    "summary": "Link the IT device register to Inventory serial numbers (lots)",
    "version": "18.0.1.0.0",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "auto_install": True,
    "depends": ["municipal_it_lease", "stock"],
    "data": [
        "views/maintenance_equipment_views.xml",
        "views/stock_lot_views.xml",
    ],
}
