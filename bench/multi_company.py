#!/usr/bin/env python3
"""Benchmark several municipalities in one database.

    bench/multi_company.py --companies K --devices N [--codes C] [--keep-db]

Creates its own database with K companies of N leased devices each (over C
activity codes each, a lessor and its specification per company). Then, in
fresh processes:

* ``isolation``: while one transaction holds company 1's charging (its March
  charge posted, not yet committed), another posts company 2's March charge
  and applies company 2's plan change with a lock timeout of 5 s: both must
  go through (``other_company_waits`` false); then the same other
  transaction tries company 1's charging lock and must wait
  (``same_company_waits`` true). Rolled back.
* ``measure``: for each company in turn, the March charge run (compute +
  post), the plan change (apply, then undo) and the reconciliation of the
  lessor's specification, each timed; the cost per device in microseconds
  of each, and their spread over the companies (largest / smallest).

The last line printed is one JSON object:
{"companies": K, "devices_per_company": N, "per_company": [{…}, …],
 "per_device_us": {"charge": …, "apply": …, "undo": …, "reconcile": …},
 "spread": {…}, "other_company_waits": …, "same_company_waits": …,
 "peak_rss_mb": …}
"""

import argparse
import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path

import psycopg2
from benchlib import (
    MONTH,
    odoo_env,
    peak_rss_mb,
    populate_company,
    run_benchmark,
)

import odoo

EFFECTIVE_DATE = date(2027, 1, 1)


def company_env(env, company):
    return env(context=dict(env.context, allowed_company_ids=[company.id]))


def populate(db, companies, devices, codes, spec_dir):
    env = odoo_env(db)
    main = env.company
    created = env["res.company"].create(
        [
            {"name": f"Kommun {n}", "currency_id": main.currency_id.id}
            for n in range(2, companies + 1)
        ]
    )
    env.ref("base.user_admin").company_ids |= created
    for number, company in enumerate(main | created, start=1):
        cenv = company_env(env, company)
        lessor = populate_company(cenv, company, devices, codes)
        prepare_plan(cenv, company)
        write_specification(cenv, company, lessor, Path(spec_dir) / f"{number}.csv")
    env.cr.execute("ANALYZE")
    env.cr.commit()
    env.cr.close()
    print(json.dumps({"companies": companies}))


def prepare_plan(env, company):
    plan = company.it_activity_code_plan_id
    old_codes = env["account.analytic.account"].search(
        [
            ("root_plan_id", "=", plan.id),
            ("company_id", "=", company.id),
            ("code", "!=", "9100"),
        ],
        order="code",
    )
    new_codes = env["account.analytic.account"].create(
        [
            {
                "name": f"Ny {code.name}",
                "code": f"N{code.code}",
                "plan_id": plan.id,
                "company_id": company.id,
            }
            for code in old_codes
        ]
    )
    env["it.activity.code.remap"].create(
        {
            "company_id": company.id,
            "effective_date": EFFECTIVE_DATE,
            "line_ids": [
                (0, 0, {"sequence": n, "old_code": old.code, "new_code": new.code})
                for n, (old, new) in enumerate(zip(old_codes, new_codes, strict=True))
            ],
        }
    )


def write_specification(env, company, lessor, path):
    """The lessor's specification: every device billed its March rent."""
    env.flush_all()
    env.cr.execute(
        """
        SELECT schedule.name, equipment.serial_no,
               ROUND(lease.monthly_rent
                     * (DATE '2026-03-31' - GREATEST(lease.date_start, DATE '2026-03-01') + 1)
                     / 31, 2)
          FROM it_lease_line lease
          JOIN it_lease_schedule schedule ON schedule.id = lease.schedule_id
          JOIN maintenance_equipment equipment ON equipment.id = lease.equipment_id
         WHERE lease.company_id = %s
      ORDER BY lease.id
        """,
        [company.id],
    )
    with open(path, "w", encoding="utf-8") as spec:
        spec.write("Bilaga;Serienummer;Period;Belopp\n")
        spec.writelines(
            f"{schedule};{serial};2026-03;{amount}\n"
            for schedule, serial, amount in env.cr.fetchall()
        )


def companies_of(env):
    return env["res.company"].search([], order="id")


def isolation(db):
    """Company 1's charge held open in one transaction; company 2's work in
    another must not wait for it, company 1's must."""
    env_a = odoo_env(db)
    env_b = odoo.api.Environment(env_a.registry.cursor(), odoo.SUPERUSER_ID, {})
    first, second = companies_of(env_a)[:2]
    a = company_env(env_a, first)
    b = company_env(env_b, env_b["res.company"].browse(second.id))
    run_a = a["it.charge.run"].create({"date_from": MONTH, "company_id": first.id})
    run_a.action_post()  # company 1's charging lock is held from here on
    env_b.cr.execute("SET lock_timeout = '5s'")
    other_waits = False
    started = time.perf_counter()
    try:
        run_b = b["it.charge.run"].create({"date_from": MONTH, "company_id": second.id})
        run_b.action_post()
        b["it.activity.code.remap"].search(
            [("company_id", "=", second.id)], limit=1
        ).action_apply()
        env_b.flush_all()
    except psycopg2.errors.LockNotAvailable:
        other_waits = True
    other_s = time.perf_counter() - started
    env_b.cr.rollback()
    env_b.cr.execute("SET lock_timeout = '1s'")
    same_waits = False
    try:
        env_b["res.company"].browse(first.id)._lock_it_charging()
    except psycopg2.errors.LockNotAvailable:
        same_waits = True
    env_b.cr.rollback()
    env_a.cr.rollback()
    env_a.cr.close()
    env_b.cr.close()
    print(
        json.dumps(
            {
                "other_company_waits": other_waits,
                "other_company_s": round(other_s, 2),
                "same_company_waits": same_waits,
            }
        )
    )


def measure(db, spec_dir):
    env = odoo_env(db)
    # Warm-up, as a running server is: one company's month posted and
    # rolled back, so the first company measured does not pay it.
    first = companies_of(env)[:1]
    company_env(env, first)["it.charge.run"].create(
        {"date_from": MONTH, "company_id": first.id}
    ).action_post()
    env.cr.rollback()
    env.invalidate_all()
    results = []
    for number, company in enumerate(companies_of(env), start=1):
        cenv = company_env(env, company)
        env.cr.execute(
            "SELECT COUNT(*) FROM it_lease_line WHERE company_id = %s", [company.id]
        )
        devices = env.cr.fetchone()[0]
        run = cenv["it.charge.run"].create(
            {"date_from": MONTH, "company_id": company.id}
        )
        env.cr.commit()
        started = time.perf_counter()
        run.action_post()
        env.cr.commit()
        charge_s = time.perf_counter() - started
        remap = cenv["it.activity.code.remap"].search(
            [("company_id", "=", company.id)], limit=1
        )
        started = time.perf_counter()
        remap.action_apply()
        env.cr.commit()
        apply_s = time.perf_counter() - started
        started = time.perf_counter()
        remap.action_undo()
        env.cr.commit()
        undo_s = time.perf_counter() - started
        lessor = cenv["res.partner"].search(
            [("name", "=", "Bench Lessor AB"), ("company_id", "=", company.id)],
            limit=1,
        )
        content = (Path(spec_dir) / f"{number}.csv").read_bytes()
        started = time.perf_counter()
        reconciliation = cenv["it.lease.reconciliation"]._import_specification(
            lessor, MONTH, content, "spec.csv"
        )
        env.cr.commit()
        reconcile_s = time.perf_counter() - started
        assert reconciliation.matched_count == devices, reconciliation.matched_count
        results.append(
            {
                "company": company.id,
                "devices": devices,
                "charge_s": round(charge_s, 2),
                "apply_s": round(apply_s, 2),
                "undo_s": round(undo_s, 2),
                "reconcile_s": round(reconcile_s, 2),
            }
        )
        env.invalidate_all()
    env.cr.close()
    print(json.dumps({"per_company": results, "peak_rss_mb": peak_rss_mb()}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=5)
    parser.add_argument("--devices", type=int, default=400)
    parser.add_argument("--codes", type=int, default=100)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--phase", choices=["populate", "measure", "baseline"])
    parser.add_argument("--db")
    parser.add_argument("--specs")
    args = parser.parse_args()

    if args.phase == "populate":
        populate(args.db, args.companies, args.devices, args.codes, args.specs)
        return
    if args.phase == "measure":
        measure(args.db, args.specs)
        return
    if args.phase == "baseline":
        isolation(args.db)
        return

    db = args.db or f"mitl_bench_multi_{args.devices}_{os.getpid()}"
    specs = tempfile.mkdtemp()
    size = [
        "--companies",
        str(args.companies),
        "--devices",
        str(args.devices),
        "--codes",
        str(args.codes),
    ]
    try:
        measured, locks = run_benchmark(
            __file__,
            db,
            [("populate", *size, "--specs", specs)],
            measure_args=("--specs", specs),
            baseline=True,
            keep_db=args.keep_db,
        )
    finally:
        for spec in Path(specs).glob("*.csv"):
            spec.unlink()
    per_company = measured["per_company"]
    per_device_us = {}
    spread = {}
    for step in ("charge", "apply", "undo", "reconcile"):
        costs = [c[f"{step}_s"] * 1e6 / c["devices"] for c in per_company]
        per_device_us[step] = [round(cost, 1) for cost in costs]
        spread[step] = round(max(costs) / min(costs), 2) if min(costs) else None
    result = {
        "companies": args.companies,
        "devices_per_company": args.devices,
        "per_company": per_company,
        "per_device_us": per_device_us,
        "spread": spread,
        **locks,
        "peak_rss_mb": measured["peak_rss_mb"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
