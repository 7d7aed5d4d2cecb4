/** @odoo-module */
// Copyright 2026 Municipal IT Lease contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("municipal_it_custody_pdf_fallback", {
    steps: () => [
        {
            content: "Print the custody document",
            trigger: "button[name='action_print_custody']",
            run: "click",
        },
        {
            content: "The warning's link is a link, not raw markup",
            trigger: ".o_notification a[href='https://wkhtmltopdf.org/']",
        },
        {
            content: "No raw markup in the warning",
            trigger: ".o_notification:not(:contains('<br>')):not(:contains('<a href'))",
        },
        {
            content: "The report opens in HTML",
            trigger: ".o_action_manager iframe",
        },
    ],
});
