/** @odoo-module **/
// Copyright 2026 Municipal IT Lease contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Day one of an IT purchase order, in three logins (tests/test_tours_day_one.py
// runs them in turn and checks the database after each):
//   1. the procurement officer follows the set-up checklist to the first IT
//      purchase order, saves it with its activity code entered on the line,
//      sees who must approve it and requests the approval;
//   2. the budget holder opens "To Approve" from the app's menu and approves;
//   3. the officer confirms the order, imports the reseller's delivery file of
//      serial numbers onto the receipt and validates it.

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/** The delivery file the reseller sends with the goods: one row per serial. */
function uploadDeliveryFile(orderName) {
    const input = document.querySelector(
        ".modal .o_field_widget[name=file] input[type=file]"
    );
    const rows = [
        "Ordernummer;Artikelnummer;Serienummer",
        `${orderName};TOUR-LAPTOP;TOUR-PO-SN-1`,
    ];
    const transfer = new DataTransfer();
    transfer.items.add(
        new File([rows.join("\n") + "\n"], "leverans.csv", {type: "text/csv"})
    );
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
}

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
        {
            content: "Request the approval",
            trigger: "button[name=request_validation]",
            run: "click",
        },
        {
            content: "Waiting for the budget holder",
            trigger: ".o_form_view .alert-warning:contains(validated)",
        },
        {
            content: "The order names who can approve it: the budget holder",
            trigger: ".o_field_widget[name=it_approver_ids]:contains(Rektor Rut)",
        },
    ],
});

registry.category("web_tour.tours").add("municipal_it_purchase_day_one_approve", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "municipal_it_lease.municipal_it_lease_menu_root",
            "Open IT Leasing"
        ),
        {
            content: "Procurement",
            trigger:
                "button[data-menu-xmlid='municipal_it_purchase.municipal_it_purchase_menu_procurement']",
            run: "click",
        },
        {
            content: "To Approve",
            trigger:
                ".o-dropdown-item[data-menu-xmlid='municipal_it_purchase.purchase_order_menu_it_to_approve']",
            run: "click",
        },
        {
            content: "The officer's order",
            trigger: ".o_data_row td:contains(Tour Reseller AB)",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: "button[name=validate_tier]",
            run: "click",
        },
        {
            content: "Approved",
            trigger: ".o_form_view .alert-success:contains(validated)",
        },
    ],
});

let orderName = "";

registry.category("web_tour.tours").add("municipal_it_purchase_day_one_receive", {
    steps: () => [
        {
            content: "The approved order",
            trigger: ".o_form_view .alert-success:contains(validated)",
            run() {
                orderName = document
                    .querySelector(".o_form_view .oe_title .o_field_widget[name=name]")
                    .textContent.trim();
            },
        },
        {
            content: "Confirm it",
            trigger: ".o_form_statusbar button[name=button_confirm]",
            run: "click",
        },
        {
            content: "Confirmed",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Purchase Order')",
        },
        {
            content: "Open its receipt",
            trigger: "button[name=action_view_picking]",
            run: "click",
        },
        {
            content: "Import the delivery file's serial numbers",
            trigger: ".o_form_statusbar button[name=action_open_it_serial_import]",
            run: "click",
        },
        {
            content: "The reseller's delivery file",
            trigger: ".modal .o_field_widget[name=file]",
            run() {
                uploadDeliveryFile(orderName);
            },
        },
        {
            content: "Read",
            trigger: ".modal .o_field_widget[name=file] .o_clear_file_button",
        },
        {
            content: "Import",
            trigger: ".modal button[name=action_import]",
            run: "click",
        },
        {
            content: "Imported: the dialog closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Validate the receipt",
            trigger: ".o_form_statusbar button[name=button_validate]",
            run: "click",
        },
        {
            content: "Received",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
