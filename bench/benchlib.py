"""Shared set-up of the benchmarks: a fresh database with the addon, and the
register of a municipality loaded in bulk."""

import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MONTH = date(2026, 3, 1)
DEVICES_PER_SCHEDULE = 10000


def addons_path():
    if os.environ.get("ODOO_ADDONS_PATH"):
        return os.environ["ODOO_ADDONS_PATH"]
    from odoo.tools import config

    config.parse_config([])
    return f"{config['addons_path']},{REPO / 'addons'}"


def odoo_env(db):
    """An environment on ``db`` in this process (superuser)."""
    import odoo
    from odoo.tools import config

    config.parse_config(
        ["-d", db, f"--addons-path={addons_path()}", "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def peak_rss_mb():
    """Peak resident memory of this process so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def vs_floor(measured_s, floor_s):
    """How many times the floor a measured time is (1.0 = at the floor)."""
    return round(measured_s / floor_s, 2) if floor_s else None


def install(db, modules="municipal_it_lease"):
    """A fresh database with ``modules``. With MITL_BENCH_TEMPLATE set (see
    bench/ci.sh), the database is a copy of that template, installed once."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    template = os.environ.get("MITL_BENCH_TEMPLATE")
    if template and modules == "municipal_it_lease":
        subprocess.run(["createdb", "-T", template, db], check=True)
        return
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            f"--addons-path={addons_path()}",
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def populate(db, devices, codes):
    """The register of a municipality: settings and schedules through the ORM,
    the bulk (devices, code history, lease lines) straight in SQL."""
    env = odoo_env(db)
    populate_company(env, env.company, devices, codes)
    env.cr.execute("ANALYZE")
    env.cr.commit()
    env.cr.close()


def populate_company(env, company, devices, codes, prefix="SN"):
    """Load ``devices`` leased devices over ``codes`` activity codes into
    ``company`` (serial numbers ``<prefix>00000001``…); not committed."""

    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    cr = env.cr
    plan = company.it_activity_code_plan_id
    code_accounts = env["account.analytic.account"].create(
        [
            {
                "name": f"Verksamhet {n:04d}",
                "code": f"{1000 + n}",
                "plan_id": plan.id,
                "company_id": company.id,
            }
            for n in range(codes)
        ]
    )
    it_unit = env["account.analytic.account"].create(
        {
            "name": "IT-enheten",
            "code": "9100",
            "plan_id": plan.id,
            "company_id": company.id,
        }
    )
    expense, income = env["account.account"].create(
        [
            {
                "name": "Intern hyra IT",
                "code": "635200",
                "account_type": "expense",
                "company_ids": [(6, 0, company.ids)],
            },
            {
                "name": "Intern intäkt IT",
                "code": "369100",
                "account_type": "income_other",
                "company_ids": [(6, 0, company.ids)],
            },
        ]
    )
    journal = env["account.journal"].create(
        {
            "name": "IT-leasing internt",
            "code": "ITL",
            "type": "general",
            "company_id": company.id,
        }
    )
    company.write(
        {
            "it_charge_journal_id": journal.id,
            "it_charge_expense_account_id": expense.id,
            "it_charge_income_account_id": income.id,
            "it_charge_analytic_account_id": it_unit.id,
            "it_charge_counterparty_code": "2",
        }
    )
    lessor = env["res.partner"].create(
        {"name": "Bench Lessor AB", "company_id": company.id}
    )
    agreement = env["it.lease.agreement"].create(
        {"name": f"BENCH-MA-{company.id}", "lessor_id": lessor.id}
    )
    schedule_count = max(1, -(-devices // DEVICES_PER_SCHEDULE))
    schedules = env["it.lease.schedule"].create(
        [
            {
                "name": f"BENCH-{company.id}-{n + 1}"
                if company.id != 1
                else f"BENCH-{n + 1}",
                "agreement_id": agreement.id,
                "date_start": date(2025, 1, 1),
                "term_months": 36,
            }
            for n in range(schedule_count)
        ]
    )
    # Active at once, as Activate would leave them (its checks are the
    # benchmark's own set-up: every schedule has devices, no month posted).
    schedules.sudo().write({"state": "active"})
    env.flush_all()
    params = {
        "n": devices,
        "company": company.id,
        "codes": code_accounts.ids,
        "schedules": schedules.ids,
        "lessor": lessor.id,
        "per_schedule": DEVICES_PER_SCHEDULE,
        "month": MONTH,
        "prefix": prefix,
        "like": f"{prefix}%",
        "lower": prefix.lower(),
    }
    cr.execute(
        """
        INSERT INTO maintenance_equipment (
            name, serial_no, serial_no_normalized, company_id, effective_date,
            equipment_assign_to, lifecycle_state, acquisition_origin, active,
            device_category, activity_code_id, model,
            create_uid, create_date, write_uid, write_date)
        SELECT jsonb_build_object('en_US', 'Laptop ' || i),
               %(prefix)s || lpad(i::text, 8, '0'), %(lower)s || lpad(i::text, 8, '0'),
               %(company)s, '2025-01-01', 'department', 'in_use', 'new', TRUE,
               'laptop', (%(codes)s::int[])[1 + (i %% array_length(%(codes)s::int[], 1))],
               'Business laptop 14"', 1, NOW(), 1, NOW()
          FROM generate_series(1, %(n)s) AS i
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO it_activity_code_assignment (
            equipment_id, company_id, activity_code_id,
            create_uid, create_date, write_uid, write_date)
        SELECT id, company_id, activity_code_id, 1, NOW(), 1, NOW()
          FROM maintenance_equipment
         WHERE serial_no LIKE %(like)s AND company_id = %(company)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO it_lease_line (
            schedule_id, equipment_id, company_id, lessor_id, state,
            monthly_rent, residual_value, date_start, date_end,
            create_uid, create_date, write_uid, write_date)
        SELECT (%(schedules)s::int[])[1 + (rank - 1) / %(per_schedule)s],
               id, company_id, %(lessor)s, 'active',
               200 + (rank %% 400) + 0.55, 900,
               CASE WHEN rank %% 10 = 0 THEN %(month)s::date + 14
                    ELSE DATE '2025-01-01' END,
               DATE '2027-12-31', 1, NOW(), 1, NOW()
          FROM (SELECT id, company_id, ROW_NUMBER() OVER (ORDER BY id) AS rank
                  FROM maintenance_equipment
                 WHERE serial_no LIKE %(like)s AND company_id = %(company)s
               ) AS devices
        """,
        params,
    )
    return lessor


def run_phase(script, phase, db, *extra):
    """Run one phase of ``script`` in a fresh process; its last line is JSON."""
    output = subprocess.run(
        [sys.executable, script, "--phase", phase, "--db", db, *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1]) if output.strip() else {}


def run_benchmark(script, db, setup, measure_args=(), baseline=False, keep_db=False):
    """Install the addon on ``db``, run the ``setup`` phases ([(phase, *args)]),
    then the "baseline" phase (if asked, on the data as set up) and the
    "measure" phase, each in a fresh process. Returns (measured, naive or
    None); ``db`` is dropped unless ``keep_db``."""
    try:
        started = time.perf_counter()
        install(db)
        for phase, *extra in setup:
            run_phase(script, phase, db, *extra)
        print(f"set-up: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        naive = None
        if baseline:
            naive = run_phase(script, "baseline", db, *measure_args)
            print(f"baseline: {naive}", file=sys.stderr)
        measured = run_phase(script, "measure", db, *measure_args)
        print(f"measured: {measured}", file=sys.stderr)
        return measured, naive
    finally:
        if not keep_db:
            subprocess.run(["dropdb", "--if-exists", db], check=False)


def ratio(naive, measured_s):
    """How many times faster than the naive way; None without a baseline."""
    return round(naive["baseline_s"] / measured_s, 1) if naive else None
