/** @odoo-module **/
// Copyright 2026 Municipal IT Lease contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Accounts payable receives the lessor's e-invoice: uploaded as a vendor
// bill, its reconciliation appears with its classes and holds the bill; the
// discrepancy is disputed with the lessor and the bill is released. The
// Python side (tests/test_tours.py) writes the e-invoice (an attachment the
// tour reads) and checks the database afterwards.

import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

const tours = registry.category("web_tour.tours");
const EINVOICE = "municipal_it_einvoice_tour.xml";

tours.add("municipal_it_einvoice_upload_bill", {
    url: "/odoo/action-account.action_move_in_invoice_type",
    steps: () => [
        {
            content: "Upload the lessor's e-invoice as a vendor bill",
            trigger: ".o_button_upload_bill",
            async run() {
                const [record] = await rpc(
                    "/web/dataset/call_kw/ir.attachment/search_read",
                    {
                        model: "ir.attachment",
                        method: "search_read",
                        args: [[["name", "=", EINVOICE]], ["datas"]],
                        kwargs: {},
                    }
                );
                const bytes = Uint8Array.from(atob(record.datas), (char) =>
                    char.charCodeAt(0)
                );
                const file = new File([bytes], "faktura.xml", {
                    type: "application/xml",
                });
                const input = document.querySelector("input.document_file_uploader");
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "The bill is held by its reconciliation",
            trigger: ".o_form_view .o_it_einvoice_hold:contains(discrepancies)",
        },
        {
            content: "Open the reconciliation",
            trigger: "button[name=action_view_it_reconciliation]",
            run: "click",
        },
        {
            content: "It shows its classes: one amount differs",
            trigger:
                ".o_form_view .o_field_widget[name=amount_differs_count]:contains(1)",
        },
        {
            content: "One matched",
            trigger: ".o_form_view .o_field_widget[name=matched_count]:contains(1)",
        },
        {
            content: "Mark it checked against the bill",
            trigger: "button[name=action_check]",
            run: "click",
        },
        {
            content: "Dispute the discrepancy with the lessor",
            trigger: "button[name=action_dispute]",
            run: "click",
        },
        {
            content: "Disputed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Disputed)",
        },
        {
            content: "Back to the bill",
            trigger: ".o_breadcrumb li.o_back_button",
            run: "click",
        },
        {
            content: "The bill is released",
            trigger: ".o_form_view:not(:has(.o_it_einvoice_hold)) .o_field_widget[name=partner_id]",
        },
    ],
});
