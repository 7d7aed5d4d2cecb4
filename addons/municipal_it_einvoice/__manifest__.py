# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Municipal IT Leasing: Lessor E-Invoices",
    "summary": "The lessor's Peppol BIS Billing 3.0 e-invoice reconciled serial by "
    "serial when it arrives as a vendor bill; discrepancies hold the bill",
    "version": "18.0.1.0.2",
    "category": "Accounting/Assets",
    "website": "https://github.com/municipal-it-lease/municipal-it-lease",
    "author": "Municipal IT Lease contributors",
    "maintainers": ["municipal-it-lease"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["municipal_it_lease", "account_edi_ubl_cii"],
    "data": [
        "views/account_move_views.xml",
        "views/it_lease_reconciliation_views.xml",
        "views/res_partner_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "municipal_it_einvoice/static/tests/tours/*.js",
        ],
    },
}
