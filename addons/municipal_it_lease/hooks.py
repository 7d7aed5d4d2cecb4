# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# The chart of accounts a new municipality starts with: Odoo's Swedish BAS
# chart (l10n_se), in SEK with Swedish VAT.
SWEDISH_CHART = "se"


def post_init_hook(env):
    """Give every existing company the shipped activity code plan, keep other
    modules' equipment out of the IT register and make a new database a
    Swedish municipality.

    The plan record only exists once the data files are loaded, so it cannot be
    the column default used when the field is added to existing companies.
    """
    plan = env.ref("municipal_it_lease.account_analytic_plan_activity_code")
    env["res.company"].search([("it_activity_code_plan_id", "=", False)]).write(
        {"it_activity_code_plan_id": plan.id}
    )
    # Equipment that came with other modules (e.g. the maintenance module's
    # demo printers and chairs) is not an IT device of the register.
    env.cr.execute(
        """
        UPDATE maintenance_equipment equipment
           SET is_it_device = FALSE
          FROM ir_model_data data
         WHERE data.model = 'maintenance.equipment'
           AND data.res_id = equipment.id
           AND data.module != 'municipal_it_lease'
        """
    )
    _load_swedish_chart(env)


def _load_swedish_chart(env):
    """A new database is a Swedish municipality: its main company, when it has
    no chart of accounts yet and no other country, gets Sweden as country and
    Odoo's Swedish chart (l10n_se: BAS accounts, 25 % VAT, SEK).

    Odoo loads the chart of a new company once the registry is ready (the
    generic chart, when the company has no country): the Swedish one takes
    its place, by the same means Odoo uses when a localization is installed.
    A company that already has a chart (or another country) keeps it."""
    company = env.company
    sweden = env.ref("base.se")
    if company.chart_template or company.country_id not in (sweden, env["res.country"]):
        return
    company.country_id = sweden

    def load_swedish_chart(env):
        company = env.company
        if not company.chart_template:
            env["account.chart.template"].try_loading(SWEDISH_CHART, company)

    env.registry._auto_install_template = load_swedish_chart
