/** @odoo-module */
// Copyright 2026 Municipal IT Lease contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import {_t} from "@web/core/l10n/translation";
import {markup} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

// Odoo's own fallback to HTML, when wkhtmltopdf is missing or broken, shows
// its warning with the raw text "<br><br><a href=...>" (web's
// reports/utils.js). For the addons' reports, the same warning is shown as
// text and a link, then the report opens in HTML as Odoo would.
const MESSAGES = {
    install: () =>
        _t(
            "Unable to find Wkhtmltopdf on this system. The report will be shown in html."
        ),
    broken: () =>
        _t(
            "Your installation of Wkhtmltopdf seems to be broken. The report will be shown in html."
        ),
};

export async function municipalReportFallback(action, options, env) {
    if (
        action.report_type !== "qweb-pdf" ||
        !(action.report_name || "").startsWith("municipal_it_")
    ) {
        return false;
    }
    municipalReportFallback.statusPromise ||= rpc("/report/check_wkhtmltopdf");
    const status = await municipalReportFallback.statusPromise;
    if (!MESSAGES[status]) {
        return false;
    }
    const text = document.createElement("span");
    text.textContent = MESSAGES[status]();
    env.services.notification.add(
        markup(
            `${text.innerHTML} <a href="https://wkhtmltopdf.org/" target="_blank" rel="noopener">wkhtmltopdf.org</a>`
        ),
        {sticky: true, title: _t("Report")}
    );
    await env.services.action.doAction({...action, report_type: "qweb-html"}, options);
    return true;
}

registry
    .category("ir.actions.report handlers")
    .add("municipal_it_report_fallback", municipalReportFallback);
