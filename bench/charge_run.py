#!/usr/bin/env python3
"""Benchmark the monthly charge run against the naive way.

    bench/charge_run.py --devices N --codes C [--baseline] [--keep-db]

Creates its own database with municipal_it_lease installed, N leased devices
spread over C activity codes (one in ten joining mid-month, so pro rata is
exercised), then, each in a fresh process:

* the charge run of March 2026: compute + post (one journal entry), timed;
* the XLSX report of that run, timed; peak RSS of that process;
* with --baseline, the naive way on the same data: one account.move per
  device, created and posted one at a time through the ORM (rolled back).

The last line printed is one JSON object:
{"devices": N, "codes": C, "run_s": …, "xlsx_s": …, "peak_rss_mb": …,
 "baseline_s": …, "ratio": …}
"""

import argparse
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


def install(db):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            f"--addons-path={addons_path()}",
            "-i",
            "municipal_it_lease",
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
    cr = env.cr
    company = env.company
    plan = company.it_activity_code_plan_id
    code_accounts = env["account.analytic.account"].create(
        [
            {"name": f"Verksamhet {n:04d}", "code": f"{1000 + n}", "plan_id": plan.id}
            for n in range(codes)
        ]
    )
    it_unit = env["account.analytic.account"].create(
        {"name": "IT-enheten", "code": "9100", "plan_id": plan.id}
    )
    expense, income = env["account.account"].create(
        [
            {"name": "Intern hyra IT", "code": "635200", "account_type": "expense"},
            {
                "name": "Intern intäkt IT",
                "code": "369100",
                "account_type": "income_other",
            },
        ]
    )
    journal = env["account.journal"].create(
        {"name": "IT-leasing internt", "code": "ITL", "type": "general"}
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
    lessor = env["res.partner"].create({"name": "Bench Lessor AB"})
    agreement = env["it.lease.agreement"].create(
        {"name": "BENCH-MA", "lessor_id": lessor.id}
    )
    schedule_count = max(1, -(-devices // DEVICES_PER_SCHEDULE))
    schedules = env["it.lease.schedule"].create(
        [
            {
                "name": f"BENCH-{n + 1}",
                "agreement_id": agreement.id,
                "date_start": date(2025, 1, 1),
                "term_months": 36,
            }
            for n in range(schedule_count)
        ]
    )
    schedules.write({"state": "active"})
    env.flush_all()
    params = {
        "n": devices,
        "company": company.id,
        "codes": code_accounts.ids,
        "schedules": schedules.ids,
        "lessor": lessor.id,
        "per_schedule": DEVICES_PER_SCHEDULE,
        "month": MONTH,
    }
    cr.execute(
        """
        INSERT INTO maintenance_equipment (
            name, serial_no, serial_no_normalized, company_id, effective_date,
            equipment_assign_to, lifecycle_state, acquisition_origin, active,
            device_category, activity_code_id, model,
            create_uid, create_date, write_uid, write_date)
        SELECT jsonb_build_object('en_US', 'Laptop ' || i),
               'SN' || lpad(i::text, 8, '0'), 'sn' || lpad(i::text, 8, '0'),
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
          FROM maintenance_equipment WHERE serial_no LIKE 'SN%%'
        """
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
                  FROM maintenance_equipment WHERE serial_no LIKE 'SN%%') AS devices
        """,
        params,
    )
    cr.execute("ANALYZE")
    cr.commit()
    cr.close()


def measure(db):
    """Time the run (compute + post) and the XLSX in this fresh process."""
    env = odoo_env(db)
    run = env["it.charge.run"].create({"date_from": MONTH})
    env.cr.commit()
    started = time.perf_counter()
    run.action_post()
    env.cr.commit()
    run_s = time.perf_counter() - started
    assert run.state == "posted" and run.move_id.state == "posted"
    started = time.perf_counter()
    content, _kind = env["ir.actions.report"]._render_xlsx(
        "municipal_it_lease.charge_run_xlsx", run.ids, {}
    )
    xlsx_s = time.perf_counter() - started
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "run_s": round(run_s, 2),
        "xlsx_s": round(xlsx_s, 2),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "lines": len(run.line_ids),
        "total": run.move_id.amount_total,
        "xlsx_bytes": len(content),
    }
    env.cr.close()
    print(json.dumps(result))


def baseline(db):
    """The naive way: for each device, compute its charge in Python and create
    and post its own journal entry through the ORM. Rolled back afterwards."""
    env = odoo_env(db)
    company = env.company
    days_in_month = 31
    month_end = date(2026, 3, 31)
    lines = env["it.lease.line"].search(
        [("state", "=", "active"), ("date_start", "<=", month_end)]
    )
    started = time.perf_counter()
    for line in lines:
        days = (min(line.date_end, month_end) - max(line.date_start, MONTH)).days + 1
        amount = company.currency_id.round(line.monthly_rent * days / days_in_month)
        code = line.equipment_id.activity_code_id
        move = env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": company.it_charge_journal_id.id,
                "date": month_end,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "account_id": company.it_charge_expense_account_id.id,
                            "balance": amount,
                            "analytic_distribution": {str(code.id): 100},
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "account_id": company.it_charge_income_account_id.id,
                            "balance": -amount,
                            "analytic_distribution": {
                                str(company.it_charge_analytic_account_id.id): 100
                            },
                        },
                    ),
                ],
            }
        )
        move.action_post()
    baseline_s = time.perf_counter() - started
    env.cr.rollback()
    env.cr.close()
    print(json.dumps({"baseline_s": round(baseline_s, 2), "moves": len(lines)}))


def run_phase(phase, db, *extra):
    output = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--db", db, *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1]) if output.strip() else {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=3000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--phase", choices=["populate", "measure", "baseline"])
    parser.add_argument("--db")
    args = parser.parse_args()

    if args.phase == "populate":
        populate(args.db, args.devices, args.codes)
        return
    if args.phase == "measure":
        measure(args.db)
        return
    if args.phase == "baseline":
        baseline(args.db)
        return

    db = args.db or f"mitl_bench_charge_{args.devices}_{os.getpid()}"
    try:
        started = time.perf_counter()
        install(db)
        size = ["--devices", str(args.devices), "--codes", str(args.codes)]
        run_phase("populate", db, *size)
        print(f"set-up: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        measured = run_phase("measure", db)
        print(f"measured: {measured}", file=sys.stderr)
        result = {
            "devices": args.devices,
            "codes": args.codes,
            "run_s": measured["run_s"],
            "xlsx_s": measured["xlsx_s"],
            "peak_rss_mb": measured["peak_rss_mb"],
            "baseline_s": None,
            "ratio": None,
        }
        if args.baseline:
            naive = run_phase("baseline", db)
            print(f"baseline: {naive}", file=sys.stderr)
            result["baseline_s"] = naive["baseline_s"]
            result["ratio"] = round(naive["baseline_s"] / measured["run_s"], 1)
        print(json.dumps(result))
    finally:
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", db], check=False)


if __name__ == "__main__":
    main()
