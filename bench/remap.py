#!/usr/bin/env python3
"""Benchmark the yearly activity-code plan change against the naive way.

    bench/remap.py --devices N --codes C [--baseline] [--keep-db]

Creates its own database with N leased devices over C activity codes, and a
plan change mapping every code to a new one from 1 January 2027. Then, each in
a fresh process:

* applying the plan change (one transaction), then undoing it (another),
  each timed; peak RSS;
* with --baseline, the naive way on the same data: one ORM write of the new
  code per device, effective 1 January (rolled back).

The last line printed is one JSON object:
{"devices": N, "codes": C, "apply_s": …, "apply_floor_s": …,
 "apply_vs_floor": …, "undo_s": …, "undo_floor_s": …, "undo_vs_floor": …,
 "moved": …, "peak_rss_mb": …, "baseline_s": …, "ratio": …}

The floors are the same history rewrite written by hand (one INSERT of the
new periods and one UPDATE closing the old ones; one UPDATE and one DELETE
to undo), on the same table with its guard triggers, in the same process
after the real apply and undo, rolled back.
"""

import argparse
import json
import os
import time
from datetime import date

from benchlib import (
    odoo_env,
    peak_rss_mb,
    populate,
    ratio,
    run_benchmark,
    vs_floor,
)

EFFECTIVE_DATE = date(2027, 1, 1)


def prepare_plan(db):
    """The new codes and the plan change mapping every old code to one."""
    env = odoo_env(db)
    plan = env.company.it_activity_code_plan_id
    old_codes = env["account.analytic.account"].search(
        [("root_plan_id", "=", plan.id), ("code", "!=", "9100")], order="code"
    )
    new_codes = env["account.analytic.account"].create(
        [
            {"name": f"Ny {code.name}", "code": f"N{code.code}", "plan_id": plan.id}
            for code in old_codes
        ]
    )
    remap = env["it.activity.code.remap"].create(
        {
            "effective_date": EFFECTIVE_DATE,
            "line_ids": [
                (0, 0, {"sequence": n, "old_code": old.code, "new_code": new.code})
                for n, (old, new) in enumerate(zip(old_codes, new_codes, strict=True))
            ],
        }
    )
    env.cr.commit()
    env.cr.close()
    print(json.dumps({"remap_id": remap.id, "codes": len(old_codes)}))


def measure(db):
    env = odoo_env(db)
    remap = env["it.activity.code.remap"].search([], limit=1)
    started = time.perf_counter()
    remap.action_apply()
    env.cr.commit()
    apply_s = time.perf_counter() - started
    moved = remap.moved_device_count
    # Undo what was applied (one transaction): the periods split off are
    # deleted and the ones they continued get their end back.
    started = time.perf_counter()
    remap.action_undo()
    env.cr.commit()
    undo_s = time.perf_counter() - started
    rss_mb = peak_rss_mb()
    floors = remap_floors(env, remap)
    env.cr.close()
    print(
        json.dumps(
            {
                "apply_s": round(apply_s, 2),
                "undo_s": round(undo_s, 2),
                "peak_rss_mb": rss_mb,
                "moved": moved,
                **floors,
            }
        )
    )


def remap_floors(env, remap):
    """The floors: the history rewritten by hand, on the same table (its
    database guard included), in one INSERT and one UPDATE for the apply and
    one UPDATE and one DELETE for the undo. Rolled back."""
    cr = env.cr
    params = {
        "old": [line.old_code_id.id for line in remap.line_ids],
        "new": [line.new_code_id.id for line in remap.line_ids],
        "date": EFFECTIVE_DATE,
        "company": remap.company_id.id,
    }
    started = time.perf_counter()
    cr.execute(
        """
        INSERT INTO it_activity_code_assignment (
            equipment_id, company_id, activity_code_id, date_from, date_to,
            split_from_id, create_uid, create_date, write_uid, write_date)
        SELECT code.equipment_id, code.company_id, m.new_id, %(date)s,
               code.date_to, code.id, 1, NOW(), 1, NOW()
          FROM it_activity_code_assignment code
          JOIN unnest(%(old)s::int[], %(new)s::int[]) AS m(old_id, new_id)
            ON m.old_id = code.activity_code_id
         WHERE code.company_id = %(company)s
           AND COALESCE(code.date_from, '-infinity'::date) < %(date)s
           AND COALESCE(code.date_to, 'infinity'::date) >= %(date)s
        """,
        params,
    )
    cr.execute(
        """
        UPDATE it_activity_code_assignment code
           SET date_to = %(date)s::date - 1
          FROM it_activity_code_assignment split
         WHERE split.split_from_id = code.id AND split.date_from = %(date)s
           AND split.create_date = NOW()
        """,
        params,
    )
    apply_floor_s = time.perf_counter() - started
    started = time.perf_counter()
    cr.execute(
        """
        UPDATE it_activity_code_assignment code
           SET date_to = split.date_to
          FROM it_activity_code_assignment split
         WHERE split.split_from_id = code.id AND split.date_from = %(date)s
           AND split.create_date = NOW()
        """,
        params,
    )
    cr.execute(
        """
        DELETE FROM it_activity_code_assignment
         WHERE split_from_id IS NOT NULL AND date_from = %(date)s
           AND create_date = NOW()
        """,
        params,
    )
    undo_floor_s = time.perf_counter() - started
    cr.rollback()
    return {
        "apply_floor_s": round(apply_floor_s, 2),
        "undo_floor_s": round(undo_floor_s, 2),
    }


def baseline(db):
    """One ORM write per device: what a bulk edit of the field does."""
    env = odoo_env(db)
    remap = env["it.activity.code.remap"].search([], limit=1)
    mapping = {line.old_code_id: line.new_code_id for line in remap.line_ids}
    devices = env["maintenance.equipment"].search([("serial_no", "=like", "SN%")])
    started = time.perf_counter()
    for device in devices.with_context(activity_code_effective_date=EFFECTIVE_DATE):
        device.activity_code_id = mapping[device.activity_code_id]
    env.flush_all()
    baseline_s = time.perf_counter() - started
    env.cr.rollback()
    env.cr.close()
    print(json.dumps({"baseline_s": round(baseline_s, 2), "devices": len(devices)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=3000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--phase", choices=["populate", "prepare", "measure", "baseline"]
    )
    parser.add_argument("--db")
    args = parser.parse_args()

    phases = {
        "populate": lambda: populate(args.db, args.devices, args.codes),
        "prepare": lambda: prepare_plan(args.db),
        "measure": lambda: measure(args.db),
        "baseline": lambda: baseline(args.db),
    }
    if args.phase:
        phases[args.phase]()
        return

    db = args.db or f"mitl_bench_remap_{args.devices}_{os.getpid()}"
    size = ["--devices", str(args.devices), "--codes", str(args.codes)]
    # The baseline runs first, on the data before the plan is applied.
    measured, naive = run_benchmark(
        __file__,
        db,
        [("populate", *size), ("prepare",)],
        baseline=args.baseline,
        keep_db=args.keep_db,
    )
    result = {
        "devices": args.devices,
        "codes": args.codes,
        "apply_s": measured["apply_s"],
        "apply_floor_s": measured["apply_floor_s"],
        "apply_vs_floor": vs_floor(measured["apply_s"], measured["apply_floor_s"]),
        "undo_s": measured["undo_s"],
        "undo_floor_s": measured["undo_floor_s"],
        "undo_vs_floor": vs_floor(measured["undo_s"], measured["undo_floor_s"]),
        "moved": measured["moved"],
        "peak_rss_mb": measured["peak_rss_mb"],
        "baseline_s": naive and naive["baseline_s"],
        "ratio": ratio(naive, measured["apply_s"]),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
