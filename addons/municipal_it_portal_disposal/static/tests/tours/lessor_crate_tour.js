/** @odoo-module **/
/* Copyright 2026 Municipal IT Lease contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

const HEADER =
    "report_id,device_serial,medium_serial,method,level,tool,tool_version," +
    "status,operator,timestamp,verification";
const ROW_A =
    "R-7,RA-1,SSD-A1,NVMe Sanitize,Purge,Blancco,7.1,erased,Operatör,2026-03-11T09:00:00Z,ok";
const ROW_B =
    "R-7,RA-2,SSD-B1,NVMe Sanitize,Purge,Blancco,7.1,erased,Operatör,2026-03-11T09:10:00Z,ok";
// Row 3 of the bad file names a level that is not Clear, Purge or Destroy.
const ROW_BAD =
    "R-7,RA-2,SSD-B1,Magic,Sprinkle,Blancco,7.1,erased,Operatör,2026-03-11T09:10:00Z,ok";

function attachCsv(name, rows) {
    return function () {
        const input = document.querySelector(".o_it_report_form input[type=file]");
        const file = new File([[HEADER, ...rows].join("\n") + "\n"], name, {
            type: "text/csv",
        });
        const transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", {bubbles: true}));
    };
}

registry.category("web_tour.tours").add("municipal_it_portal_lessor_crate", {
    url: "/my",
    steps: () => [
        {
            content: "Open the return crates of the Leasing section",
            trigger: "a[href='/my/leasing/crates']",
            run: "click",
        },
        {
            content: "Open crate BUR-17",
            trigger: "a:contains('BUR-17')",
            run: "click",
        },
        {
            content: "Paste two of the three serials: RA-3 is missing",
            trigger: ".o_it_receipt_form textarea[name=serials]",
            run: "edit RA-1 RA-2",
        },
        {
            content: "Enter the seals seen on the crate",
            trigger: ".o_it_receipt_form input[name=seals]",
            run: "edit S-1001, S-1002",
        },
        {
            content: "Confirm the receipt",
            trigger: ".o_it_receipt_submit",
            run: "click",
        },
        {
            content: "The receipt is recorded",
            trigger: ".o_it_portal_done:contains('Receipt recorded')",
        },
        {
            content: "RA-3 is still not confirmed",
            trigger: "tr[data-serial='RA-3'] .o_it_receipt_state:contains('Not confirmed')",
        },
        {
            content: "Grade RA-1",
            trigger: "select.o_it_grade_select[data-serial='RA-1']",
            run: "select b",
        },
        {
            content: "RA-1 will be remarketed",
            trigger: "select.o_it_disposition[data-serial='RA-1']",
            run: "select remarket",
        },
        {
            content: "Offer 1,200 for RA-1",
            trigger: "input.o_it_value[data-serial='RA-1']",
            run: "edit 1200",
        },
        {
            content: "Grade RA-2",
            trigger: "select.o_it_grade_select[data-serial='RA-2']",
            run: "select d",
        },
        {
            content: "RA-2 will be recycled",
            trigger: "select.o_it_disposition[data-serial='RA-2']",
            run: "select recycle",
        },
        {
            content: "Offer 150.50 for RA-2",
            trigger: "input.o_it_value[data-serial='RA-2']",
            run: "edit 150.50",
        },
        {
            content: "Save the grades",
            trigger: ".o_it_grade_submit",
            run: "click",
        },
        {
            content: "The grades are recorded",
            trigger: ".o_it_portal_done:contains('Grades recorded')",
        },
        {
            content: "RA-2 shows its grade",
            trigger: "tr[data-serial='RA-2'] .o_it_grade:contains('D')",
        },
        {
            content: "Attach a report with an error on row 3",
            trigger: ".o_it_report_form input[type=file]",
            run: attachCsv("wipe-bad.csv", [ROW_A, ROW_BAD]),
        },
        {
            content: "Upload the bad report",
            trigger: ".o_it_report_submit",
            run: "click",
        },
        {
            content: "The whole file is refused, naming row 3",
            trigger: ".o_it_portal_error:contains('Row 3'):contains('Sprinkle')",
        },
        {
            content: "Attach the corrected report",
            trigger: ".o_it_report_form input[type=file]",
            run: attachCsv("wipe-good.csv", [ROW_A, ROW_B]),
        },
        {
            content: "Upload the corrected report",
            trigger: ".o_it_report_submit",
            run: "click",
        },
        {
            content: "The report is imported",
            trigger: ".o_it_portal_done:contains('Sanitization report imported')",
        },
        {
            content: "Its two certificates are listed",
            trigger: ".o_it_reports:contains('wipe-good.csv'):contains('2 certificates')",
        },
    ],
});
