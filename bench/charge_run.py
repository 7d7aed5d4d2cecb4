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
import time
from datetime import date

from benchlib import MONTH, odoo_env, populate, ratio, run_benchmark


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
    size = ["--devices", str(args.devices), "--codes", str(args.codes)]
    measured, naive = run_benchmark(
        __file__,
        db,
        [("populate", *size)],
        baseline=args.baseline,
        keep_db=args.keep_db,
    )
    result = {
        "devices": args.devices,
        "codes": args.codes,
        "run_s": measured["run_s"],
        "xlsx_s": measured["xlsx_s"],
        "peak_rss_mb": measured["peak_rss_mb"],
        "baseline_s": naive and naive["baseline_s"],
        "ratio": ratio(naive, measured["run_s"]),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
