# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Give every existing company the shipped activity code plan, and keep
    other modules' equipment out of the IT register.

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
