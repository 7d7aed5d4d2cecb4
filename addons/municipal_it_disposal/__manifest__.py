# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Disposal",
    "summary": "Return, data wiping and disposal of leased municipal IT devices",
    "version": "18.0.0.1.0",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["municipal_it_lease"],
    "data": [],
}
