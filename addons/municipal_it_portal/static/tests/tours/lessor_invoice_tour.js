/** @odoo-module **/
/* Copyright 2026 Municipal IT Lease contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

const HEADER = "Schedule,Serial,Period,Amount";
// Row 3 names the annex of another lessor: the whole file is refused.
const BAD = [HEADER, "S-1,SN-A,2026-03,500", "T-1,SN-Z,2026-03,100"];
const GOOD = [HEADER, "S-1,SN-A,2026-03,500", "S-1,SN-B,2026-03,450"];

function fillUpload(name, lines) {
    return function () {
        const form = document.querySelector(".o_it_portal_upload");
        form.querySelector("input[name=month]").value = "2026-03";
        const input = form.querySelector("input[type=file]");
        const transfer = new DataTransfer();
        transfer.items.add(new File([lines.join("\n") + "\n"], name, {type: "text/csv"}));
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", {bubbles: true}));
    };
}

registry.category("web_tour.tours").add("municipal_it_portal_lessor_invoice", {
    url: "/my",
    steps: () => [
        {
            content: "Open the lease schedules of the Leasing section",
            trigger: "a[href='/my/leasing/schedules']",
            run: "click",
        },
        {
            content: "Open annex S-1",
            trigger: "a:contains('S-1')",
            run: "click",
        },
        {
            content: "The annex lists its devices",
            trigger: "td a:contains('SN-D')",
        },
        {
            content: "Go to the invoice reconciliations",
            trigger: "a[href='/my/home']",
            run: "click",
        },
        {
            content: "Open the invoice reconciliations",
            trigger: "a[href='/my/leasing/reconciliations']",
            run: "click",
        },
        {
            content: "Choose March 2026 and a file with an error on row 3",
            trigger: ".o_it_portal_upload input[type=file]",
            run: fillUpload("spec-bad.csv", BAD),
        },
        {
            content: "Upload it",
            trigger: ".o_it_portal_upload button[type=submit]",
            run: "click",
        },
        {
            content: "The whole file is refused, naming row 3",
            trigger: ".o_it_portal_error:contains('T-1')",
        },
        {
            content: "Choose the corrected file",
            trigger: ".o_it_portal_upload input[type=file]",
            run: fillUpload("spec.csv", GOOD),
        },
        {
            content: "Upload it",
            trigger: ".o_it_portal_upload button[type=submit]",
            run: "click",
        },
        {
            content: "The discrepancies are shown: SN-B differs, SN-D not invoiced",
            trigger: "tr.o_it_portal_discrepancy:contains('SN-D')",
        },
        {
            content: "SN-B differs",
            trigger: "tr.o_it_portal_discrepancy:contains('SN-B')",
        },
    ],
});
