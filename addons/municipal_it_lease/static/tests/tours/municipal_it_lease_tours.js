/** @odoo-module **/
// Copyright 2026 Municipal IT Lease contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// A clerk's month in the browser: register a device and put it in use on an
// activity code, decide a lease end, compute and post a month, import the
// lessor's invoice specification. The Python side (tests/test_tours.py) sets
// the data up and checks the database afterwards.

import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("municipal_it_lease_register_device", {
    url: "/odoo/action-municipal_it_lease.maintenance_equipment_action_it",
    steps: () => [
        {
            content: "Register a new device",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Laptop TOUR-1",
        },
        {
            content: "Charge it to activity code 3200",
            trigger: ".o_field_widget[name=activity_code_id] input",
            run: "edit 3200",
        },
        {
            content: "Pick the activity code",
            trigger: ".ui-menu-item a:contains(Tour school)",
            run: "click",
        },
        {
            content: "Open the product information",
            trigger: "a.nav-link[name=product_information]",
            run: "click",
        },
        {
            content: "Type its serial number",
            trigger: ".o_field_widget[name=serial_no] input",
            run: "edit TOUR-SN-1",
        },
        {
            content: "Put it in use (the status bar saves the device)",
            trigger: ".o_statusbar_status button[data-value=in_use]",
            run: "click",
        },
        {
            content: "In use and saved",
            trigger: ".o_statusbar_status button[data-value=in_use][aria-checked=true]",
        },
        {
            content: "Nothing left to save",
            trigger: ".o_form_saved",
        },
    ],
});

tours.add("municipal_it_lease_decide_lease_end", {
    url: "/odoo/action-municipal_it_lease.it_lease_schedule_action",
    steps: () => [
        {
            content: "Open the ending schedule",
            trigger: ".o_data_row td:contains(TOUR-END)",
            run: "click",
        },
        {
            content: "Decide its lease end",
            trigger: "button[name=action_decide]",
            run: "click",
        },
        {
            content: "Return every device",
            trigger: ".modal .o_field_widget[name=decision] input[data-value=return]",
            run: "click",
        },
        {
            content: "Apply the decision",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The schedule shows the decision",
            trigger: ".o_field_widget[name=decision_state]:contains(Decided)",
        },
    ],
});

tours.add("municipal_it_lease_post_month", {
    url: "/odoo/action-municipal_it_lease.it_charge_run_action",
    steps: () => [
        {
            content: "The month's charge run",
            trigger: ".o_data_row td:contains(2026-03)",
            run: "click",
        },
        {
            content: "Compute the charge lines",
            trigger: "button[name=action_compute]",
            run: "click",
        },
        {
            content: "Post the month",
            trigger: "button[name=action_post]:enabled",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Posted",
            trigger: ".o_statusbar_status button[data-value=posted][aria-checked=true]",
        },
    ],
});

const SPECIFICATION =
    "Bilaga;Serienummer;Period;Belopp\n" +
    "TOUR-ANNEX;TOUR-REC-1;2026-03;500,00\n" +
    "TOUR-ANNEX;TOUR-REC-2;2026-03;450,00\n";

tours.add("municipal_it_lease_import_specification", {
    url: "/odoo/action-municipal_it_lease.it_lease_reconciliation_import_action",
    steps: () => [
        {
            content: "Choose the lessor",
            trigger: ".o_field_widget[name=lessor_id] input",
            run: "edit Tour Lessor",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item a:contains(Tour Lessor AB)",
            run: "click",
        },
        {
            content: "The month",
            trigger: ".o_field_widget[name=date_from] input",
            run: "edit 03/01/2026",
        },
        {
            content: "Attach the lessor's file",
            trigger: ".o_field_widget[name=file] .o_select_file_button",
            run() {
                const input = this.anchor
                    .closest(".o_field_widget")
                    .querySelector("input[type=file]");
                const file = new File([SPECIFICATION], "specifikation.csv", {
                    type: "text/csv",
                });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "The file is attached",
            trigger: ".o_field_widget[name=file] .o_clear_file_button",
        },
        {
            content: "Import it",
            trigger: "button[name=action_import]",
            run: "click",
        },
        {
            content: "The reconciliation shows what matched",
            trigger: ".o_form_view .o_field_widget[name=matched_count]:contains(1)",
        },
    ],
});
