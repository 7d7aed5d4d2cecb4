/** @odoo-module */
// Copyright 2026 Municipal IT Lease contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("municipal_it_punchout_shop", {
    url: "/odoo/it-punchout-shop",
    steps: () => [
        {
            content: "Shop at the reseller",
            trigger: ".o_data_row:contains('Tour shop') button.o_punchout_shop",
            run: "click",
        },
        {
            content: "Two laptops in the cart",
            trigger: "input.o_demo_shop_qty[data-code='DL-5450-I5']",
            run: "edit 2",
        },
        {
            content: "One dock",
            trigger: "input.o_demo_shop_qty[data-code='DL-WD19S']",
            run: "edit 1",
        },
        {
            content: "Transfer the cart to Odoo",
            trigger: "button.o_demo_shop_transfer",
            run: "click",
        },
        {
            content: "The cart is a draft order",
            trigger: ".o_form_view .o_field_one2many .o_data_row:contains('DL-5450-I5')",
        },
        {
            content: "Request the attest",
            trigger: "button[name='request_validation']",
            run: "click",
        },
        {
            content: "The attest is requested",
            trigger: "body:not(:has(button[name='request_validation']))",
        },
    ],
});

registry.category("web_tour.tours").add("municipal_it_punchout_attest", {
    steps: () => [
        {
            content: "Attest as the budget holder",
            trigger: "button[name='validate_tier']",
            run: "click",
        },
        {
            content: "Confirm the order",
            trigger: "button#draft_confirm:not(.d-none)",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Purchase Order')",
        },
    ],
});
