#!/usr/bin/env python3
"""Benchmark the receipt that registers devices against Odoo's own receipt.

    bench/receipt.py --products P --per-product N [--repeat R] [--keep-db]

Creates its own database with ``municipal_it_purchase`` and two confirmed
orders of P products × N serial numbers each: one of IT device products
(approved by the activity code's budget holder), one of the same kind of
products without the IT device flag, which this addon's receipt hook leaves
alone: Odoo's own receipt. Then, each in a fresh process and rolled back:

* baseline: the serials entered and the receipt of the plain order validated;
* measure: the same for the IT order, which also creates one device per serial
  (and the lease lines of financed lines: half of the products are financed).

Both run R times, alternately (the machine is shared); the fastest run of each
is reported.

The last line printed is one JSON object:
{"serials": P×N, "receipt_s": …, "baseline_s": …, "ratio": receipt_s /
baseline_s, "overhead_pct": …, "receipt_cpu_s": …, "baseline_cpu_s": …,
"cpu_ratio": …, "queries": …, "baseline_queries": …,
"extra_queries_per_serial": …}

Wall-clock seconds swing with the load of a shared machine; the CPU seconds
of the Odoo process (without PostgreSQL's) and the query counts do not.
"""

import argparse
import json
import os
import subprocess
import sys
import time

from benchlib import addons_path, odoo_env, run_phase


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
            "municipal_it_purchase",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def prepare(db, products, per_product):
    """Products, an activity code whose holder is the administrator, a
    lessor with a rate card, and the two confirmed orders."""
    env = odoo_env(db)
    company = env.company
    # The budget holder: an active user (the superuser is archived).
    holder = env.ref("base.user_admin")
    code = env["account.analytic.account"].create(
        {
            "name": "Grundskola",
            "code": "3200",
            "plan_id": company.it_activity_code_plan_id.id,
            "it_budget_holder_id": holder.id,
            "it_approval_limit": 10**9,
        }
    )
    reseller, lessor = env["res.partner"].create(
        [{"name": "Webbshop IT AB"}, {"name": "Finans IT AB"}]
    )
    env["it.lease.rate"].create(
        {
            "lessor_id": lessor.id,
            "device_category": "laptop",
            "term_months": 36,
            "rate_percent": 2.95,
        }
    )
    orders = {}
    for kind, is_device in (("it", True), ("plain", False)):
        items = env["product.product"].create(
            [
                {
                    "name": f"{kind} product {number}",
                    "default_code": f"{kind.upper()}-{number}",
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "serial",
                    "purchase_ok": True,
                    "it_is_device": is_device,
                    "it_device_category": "laptop" if is_device else False,
                }
                for number in range(products)
            ]
        )
        lines = []
        for number, product in enumerate(items):
            financed = is_device and number % 2 == 1
            lines.append(
                (
                    0,
                    0,
                    {
                        "product_id": product.id,
                        "product_qty": per_product,
                        "price_unit": 10000,
                        "taxes_id": [(5,)],
                        "analytic_distribution": {str(code.id): 100},
                        "it_financing": "lessor" if financed else "bought",
                        "it_lessor_id": lessor.id if financed else False,
                    },
                )
            )
        order = env["purchase.order"].create(
            {"partner_id": reseller.id, "order_line": lines, "origin": kind}
        )
        if is_device:
            order.request_validation()
            order.with_user(holder).validate_tier()
        order.button_confirm()
        orders[kind] = order.id
    env.cr.commit()
    env.cr.close()
    print(json.dumps(orders))


def receive(db, kind):
    """Enter the serials and validate the receipt of the order ``kind``;
    timed, then rolled back."""
    env = odoo_env(db)
    order = env["purchase.order"].search([("origin", "=", kind)])
    picking = order.picking_ids
    env.flush_all()
    env.invalidate_all()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    cpu_started = time.process_time()
    vals_list = []
    for move in picking.move_ids:
        move.move_line_ids.unlink()
        vals_list += [
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": move.product_id.id,
                "product_uom_id": move.product_uom.id,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "lot_name": f"{kind}-{move.product_id.default_code}-{serial}",
                "quantity": 1,
            }
            for serial in range(int(move.product_uom_qty))
        ]
    env["stock.move.line"].create(vals_list)
    picking.move_ids.picked = True
    picking.button_validate()
    env.flush_all()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    queries = env.cr.sql_log_count - queries_before
    devices = env["maintenance.equipment"].search_count(
        [("it_receipt_picking_id", "=", picking.id)]
    )
    assert picking.state == "done", picking.state
    env.cr.rollback()
    env.cr.close()
    print(
        json.dumps(
            {
                "seconds": round(elapsed, 2),
                "cpu_s": round(cpu, 2),
                "queries": queries,
                "serials": len(vals_list),
                "devices": devices,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=2)
    parser.add_argument("--per-product", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--phase", choices=["prepare", "measure", "baseline"])
    parser.add_argument("--db")
    args = parser.parse_args()

    if args.phase == "prepare":
        prepare(args.db, args.products, args.per_product)
        return
    if args.phase:
        receive(args.db, "it" if args.phase == "measure" else "plain")
        return

    db = args.db or f"mitl_bench_receipt_{os.getpid()}"
    try:
        started = time.perf_counter()
        install(db)
        size = [str(args.products), str(args.per_product)]
        run_phase(
            __file__, "prepare", db, "--products", size[0], "--per-product", size[1]
        )
        print(f"set-up: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        # The machine is shared: alternate the two receipts and keep the
        # fastest run of each.
        naive = measured = None
        naive_cpu = measured_cpu = None
        for _run in range(args.repeat):
            run = run_phase(__file__, "baseline", db)
            print(f"baseline: {run}", file=sys.stderr)
            naive = min(naive or run, run, key=lambda r: r["seconds"])
            naive_cpu = min(naive_cpu or run["cpu_s"], run["cpu_s"])
            run = run_phase(__file__, "measure", db)
            print(f"measured: {run}", file=sys.stderr)
            measured = min(measured or run, run, key=lambda r: r["seconds"])
            measured_cpu = min(measured_cpu or run["cpu_s"], run["cpu_s"])
    finally:
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    serials = measured["serials"]
    assert measured["devices"] == serials, measured
    result = {
        "serials": serials,
        "receipt_s": measured["seconds"],
        "baseline_s": naive["seconds"],
        "ratio": round(measured["seconds"] / naive["seconds"], 2),
        "overhead_pct": round(100 * (measured["seconds"] / naive["seconds"] - 1), 1),
        "receipt_cpu_s": measured_cpu,
        "baseline_cpu_s": naive_cpu,
        "cpu_ratio": round(measured_cpu / naive_cpu, 2),
        "queries": measured["queries"],
        "baseline_queries": naive["queries"],
        "extra_queries_per_serial": round(
            (measured["queries"] - naive["queries"]) / serials, 3
        ),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
