/** @odoo-module **/
// Copyright 2026 Municipal IT Lease contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// Day one of a finance clerk (Accounting: Invoicing only): post last month
// and read the charge entry's lines where every entry is read, in Odoo's own
// journal entry form. The Python side (tests/test_tours_day_one.py) sets the
// municipality up and checks the database afterwards.

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("municipal_it_lease_day_one_finance", {
    url: "/odoo/action-municipal_it_lease.it_charge_run_action",
    steps: () => [
        {
            content: "A new charge run",
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The month is last month: save the run",
            trigger: ".o_form_button_save",
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
        {
            content: "Open its journal entry",
            trigger: "button[name=action_open_move]",
            run: "click",
        },
        {
            content: "No reset to draft on a charge entry",
            trigger: ".o_form_view:not(:has(button[name=button_draft])) .o_statusbar_status",
        },
        {
            content: "Open the Journal Items tab",
            trigger: "a.nav-link[name=aml_tab]",
            run: "click",
        },
        {
            content: "The cost line: its account and its activity code",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row:contains(Tour hyra):contains(Tour school)",
        },
        {
            content: "The revenue line: the IT unit",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row:contains(Tour intäkt):contains(Tour IT unit)",
        },
    ],
});
