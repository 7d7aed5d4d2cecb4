# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Disposal - Inventory",
    "summary": "Collecting a return crate ships its serial numbers out of Inventory",
    "version": "18.0.1.0.1",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "auto_install": True,
    "depends": ["municipal_it_disposal", "municipal_it_stock"],
    "data": ["views/it_disposal_batch_views.xml"],
}
