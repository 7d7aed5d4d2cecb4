/** @odoo-module **/
// Copyright 2026 Municipal IT Lease contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Day one of a procurement officer: from the set-up checklist to the first
// IT purchase order, saved with its activity code entered on the line. The
// Python side (tests/test_tours_day_one.py) sets the municipality up, then,
// as each user, requests the approval (the officer), approves (the budget
// holder) and receives the delivery (the officer), and checks the database.

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("municipal_it_purchase_day_one_order", {
    url: "/odoo/action-municipal_it_lease.onboarding_onboarding_step_action_server_it_setup",
    steps: () => [
        {
            content: "The activity codes are in place",
            trigger: ".o_kanban_record:contains(Activity codes) .fa-check-circle",
        },
        {
            content: "Follow the step of the first IT purchase order",
            trigger:
                ".o_kanban_record:contains(First IT purchase order) button[name=action_open_it_setup_step]",
            run: "click",
        },
        {
            content: "A new IT purchase order",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The reseller",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Reseller",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item a:contains(Tour Reseller AB)",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: ".o_field_widget[name=order_line] a:contains(Add a product)",
            run: "click",
        },
        {
            content: "A laptop",
            trigger: ".o_field_widget[name=order_line] .o_selected_row [name=product_id] input",
            run: "edit Tour laptop",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item a:contains(Tour laptop)",
            run: "click",
        },
        {
            content: "Its price",
            trigger: ".o_field_widget[name=order_line] .o_selected_row [name=price_unit] input",
            run: "edit 10000",
        },
        {
            content: "Open the line's analytic distribution: the activity code",
            trigger:
                ".o_field_widget[name=order_line] .o_selected_row [name=analytic_distribution] .o_input_dropdown",
            run: "click",
        },
        {
            content: "Activity code 3200",
            trigger: ".analytic_distribution_popup tr[name=line_0] .o_field_many2one input",
            run: "edit 3200",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item a:contains(Tour school)",
            run: "click",
        },
        {
            content: "Close the distribution",
            trigger: ".analytic_distribution_popup .popupButtons .o_button",
            run: "click",
        },
        {
            content: "Save the order",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
