#!/usr/bin/env python3
"""Benchmark the reconciliation of a lessor's invoice specification.

    bench/reconcile.py --lines N [--baseline] [--keep-db]

Creates its own database with N leased devices (over 500 activity codes) and a
specification of the lessor for March 2026 with one row per device, written as
Swedish spreadsheets do (semicolons, amounts like "1 234,50"), with one row in
a hundred billing a wrong amount, one in two hundred an unknown serial and
one device in two hundred left out. Then, in fresh processes:

* the import: parse, store and classify every row, timed; peak RSS;
* with --baseline, the naive way on the same file: one search per row for the
  device and one for its lease line, classified in Python (nothing stored).

The last line printed is one JSON object:
{"lines": N, "reconcile_s": …, "floor_s": …, "vs_floor": …,
 "unkeyed_floor_s": …, "unkeyed_vs_floor": …, "keyed_floor_s": …, "vs_keyed_floor": …, "peak_rss_mb": …, "baseline_s": …, "ratio": …, "classes": {…},
 "floor_classes": {…}}

The floor parses the same file with the csv module, COPYs it into an
unlogged scratch table and classifies it with one join into another (no
validation, no named errors), in the same process after the real import,
rolled back; its classes are printed so they can be compared. The keyed
floor is the same with its result written into a logged table with an id
and the foreign keys and indexes of a reconciliation line; the unkeyed floor
the same table without its foreign keys.
"""

import argparse
import csv
import io
import json
import os
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from benchlib import (
    MONTH,
    odoo_env,
    peak_rss_mb,
    populate,
    ratio,
    run_benchmark,
    vs_floor,
)


def swedish(amount):
    whole, cents = f"{amount:.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{groups},{cents}"


def write_specification(db, path):
    env = odoo_env(db)
    env.cr.execute(
        """
        SELECT schedule.name, equipment.serial_no,
               ROUND(lease.monthly_rent
                     * (DATE '2026-03-31' - GREATEST(lease.date_start, DATE '2026-03-01') + 1)
                     / 31, 2)
          FROM it_lease_line lease
          JOIN it_lease_schedule schedule ON schedule.id = lease.schedule_id
          JOIN maintenance_equipment equipment ON equipment.id = lease.equipment_id
      ORDER BY lease.id
        """
    )
    rows = env.cr.fetchall()
    env.cr.close()
    with open(path, "w", encoding="utf-8") as spec:
        spec.write("Bilaga;Serienummer;Modell;Period;Belopp\n")
        for number, (schedule, serial, amount) in enumerate(rows):
            if number % 200 == 7:
                continue  # not invoiced
            if number % 200 == 11:
                serial = f"UNKNOWN-{number}"
            if number % 100 == 3:
                amount = float(amount) + 100
            spec.write(
                f"{schedule};{serial};Laptop 14;2026-03;{swedish(float(amount))}\n"
            )
    print(json.dumps({"rows": len(rows)}))


def measure(db, path):
    env = odoo_env(db)
    lessor = env["res.partner"].search([("name", "=", "Bench Lessor AB")], limit=1)
    content = Path(path).read_bytes()
    started = time.perf_counter()
    reconciliation = env["it.lease.reconciliation"]._import_specification(
        lessor, MONTH, content, "spec.csv"
    )
    env.cr.commit()
    reconcile_s = time.perf_counter() - started
    classes = {
        status: count
        for status, count in env["it.lease.reconciliation.line"]._read_group(
            [("reconciliation_id", "=", reconciliation.id)],
            groupby=["status"],
            aggregates=["__count"],
        )
    }
    rss_mb = peak_rss_mb()
    floor_s, floor_classes = reconcile_floor(env, lessor, path)
    unkeyed_floor_s, unkeyed_classes = reconcile_floor(
        env, lessor, path, keyed=reconciliation, foreign_keys=False
    )
    keyed_floor_s, keyed_classes = reconcile_floor(
        env, lessor, path, keyed=reconciliation
    )
    assert keyed_classes == unkeyed_classes == floor_classes
    env.cr.close()
    print(
        json.dumps(
            {
                "reconcile_s": round(reconcile_s, 2),
                "floor_s": floor_s,
                "unkeyed_floor_s": unkeyed_floor_s,
                "keyed_floor_s": keyed_floor_s,
                "peak_rss_mb": rss_mb,
                "classes": classes,
                "floor_classes": floor_classes,
            }
        )
    )


# The one join of the floor: every invoiced row to its device and lease line,
# and every leased device to its row (a full join), classified.
FLOOR_JOIN = """
INSERT INTO bench_reconcile_floor_result
SELECT spec.serial, lease.equipment_id, lease.id,
       spec.amount, ROUND(lease.monthly_rent
             * (LEAST(lease.date_end, %(end)s) - GREATEST(lease.date_start, %(start)s) + 1)
             / 31, 2),
       CASE WHEN spec.serial IS NULL THEN 'not_invoiced'
            WHEN lease.id IS NULL THEN 'not_in_register'
            WHEN ABS(spec.amount - ROUND(lease.monthly_rent
                 * (LEAST(lease.date_end, %(end)s) - GREATEST(lease.date_start, %(start)s)
                    + 1) / 31, 2)) < 0.005 THEN 'matched'
            ELSE 'amount_differs' END
  FROM bench_reconcile_floor spec
  LEFT JOIN maintenance_equipment equipment
    ON equipment.serial_no_normalized = spec.normalized
   AND equipment.company_id = %(company)s
  FULL JOIN (SELECT lease.* FROM it_lease_line lease
               JOIN it_lease_schedule schedule ON schedule.id = lease.schedule_id
              WHERE schedule.lessor_id = %(lessor)s
                AND schedule.state IN ('active', 'ended')
                AND lease.date_start <= %(end)s AND lease.date_end >= %(start)s
            ) AS lease ON lease.equipment_id = equipment.id
"""


def reconcile_floor(env, lessor, path, keyed=None, foreign_keys=True):
    """The floor: parse the file (csv module, Swedish amounts), one COPY into
    an unlogged scratch table and one join classifying every row. Rolled
    back. Returns (seconds, classes).

    ``keyed`` (a reconciliation): the result goes into a logged table with
    an id and the foreign keys and indexes of a reconciliation line, each
    row of ``keyed`` (what storing the rows costs at least); without
    ``foreign_keys``, the same table without its foreign keys."""
    cr = env.cr
    cr.execute(
        "CREATE UNLOGGED TABLE bench_reconcile_floor (schedule varchar, "
        "serial varchar, normalized varchar, period date, amount numeric)"
    )
    if keyed:
        references = {
            "equipment": "REFERENCES maintenance_equipment",
            "lease_line": "REFERENCES it_lease_line",
            "reconciliation": "REFERENCES it_lease_reconciliation ON DELETE CASCADE",
        }
        if not foreign_keys:
            references = dict.fromkeys(references, "")
        cr.execute(
            f"""
            CREATE TABLE bench_reconcile_floor_result (
                serial varchar,
                equipment_id int {references["equipment"]},
                lease_line_id int {references["lease_line"]},
                invoiced numeric, expected numeric, status varchar,
                reconciliation_id int DEFAULT {int(keyed.id)}
                    {references["reconciliation"]},
                id serial PRIMARY KEY);
            CREATE INDEX ON bench_reconcile_floor_result (reconciliation_id, status);
            CREATE INDEX ON bench_reconcile_floor_result (serial);
            CREATE INDEX ON bench_reconcile_floor_result (equipment_id);
            """
        )
    else:
        cr.execute(
            "CREATE UNLOGGED TABLE bench_reconcile_floor_result (serial varchar, "
            "equipment_id int, lease_line_id int, invoiced numeric, "
            "expected numeric, status varchar)"
        )
    started = time.perf_counter()
    buffer = io.StringIO()
    with open(path, encoding="utf-8", newline="") as spec:
        reader = csv.reader(spec, delimiter=";")
        header = next(reader)
        schedule_at, serial_at = header.index("Bilaga"), header.index("Serienummer")
        period_at, amount_at = header.index("Period"), header.index("Belopp")
        for row in reader:
            serial = row[serial_at].strip()
            amount = Decimal(row[amount_at].replace(" ", "").replace(",", "."))
            period = date.fromisoformat(row[period_at] + "-01")
            buffer.write(
                f"{row[schedule_at]}\t{serial}\t{serial.casefold()}\t"
                f"{period}\t{amount}\n"
            )
    buffer.seek(0)
    cr.copy_expert("COPY bench_reconcile_floor FROM STDIN", buffer)
    cr.execute(
        FLOOR_JOIN,
        {
            "start": MONTH,
            "end": date(2026, 3, 31),
            "company": lessor.company_id.id or env.company.id,
            "lessor": lessor.id,
        },
    )
    floor_s = time.perf_counter() - started
    cr.execute(
        "SELECT status, COUNT(*) FROM bench_reconcile_floor_result GROUP BY status"
    )
    classes = dict(cr.fetchall())
    cr.rollback()
    return round(floor_s, 2), classes


def baseline(db, path):
    """One search per row: find the device, then its lease line."""
    env = odoo_env(db)
    lessor = env["res.partner"].search([("name", "=", "Bench Lessor AB")], limit=1)
    Equipment = env["maintenance.equipment"]
    LeaseLine = env["it.lease.line"]
    lines = Path(path).read_text(encoding="utf-8").splitlines()[1:]
    classes = {}
    started = time.perf_counter()
    for text in lines:
        _schedule, serial, _model, _period, amount = text.split(";")
        amount = float(amount.replace(" ", "").replace(",", "."))
        # The indexed, normalised serial: a fair naive way, not a table scan.
        device = Equipment.search(
            [("serial_no_normalized", "=", serial.strip().casefold())], limit=1
        )
        lease = LeaseLine.search(
            [("equipment_id", "=", device.id), ("lessor_id", "=", lessor.id)], limit=1
        )
        if not lease:
            status = "not_in_register"
        else:
            days = (
                lease.date_end.replace(2026, 3, 31) - max(lease.date_start, MONTH)
            ).days
            expected = round(lease.monthly_rent * (days + 1) / 31, 2)
            status = "matched" if abs(expected - amount) < 0.005 else "amount_differs"
        classes[status] = classes.get(status, 0) + 1
    baseline_s = time.perf_counter() - started
    env.cr.close()
    print(json.dumps({"baseline_s": round(baseline_s, 2), "classes": classes}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--codes", type=int, default=500)
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--phase", choices=["populate", "spec", "measure", "baseline"])
    parser.add_argument("--db")
    parser.add_argument("--file")
    args = parser.parse_args()

    if args.phase == "populate":
        populate(args.db, args.lines, args.codes)
        return
    if args.phase == "spec":
        write_specification(args.db, args.file)
        return
    if args.phase == "measure":
        measure(args.db, args.file)
        return
    if args.phase == "baseline":
        baseline(args.db, args.file)
        return

    db = args.db or f"mitl_bench_reconcile_{args.lines}_{os.getpid()}"
    spec = Path(tempfile.mkdtemp()) / "specification.csv"
    try:
        measured, naive = run_benchmark(
            __file__,
            db,
            [
                ("populate", "--lines", str(args.lines), "--codes", str(args.codes)),
                ("spec", "--file", str(spec)),
            ],
            measure_args=("--file", str(spec)),
            baseline=args.baseline,
            keep_db=args.keep_db,
        )
    finally:
        spec.unlink(missing_ok=True)
    result = {
        "lines": args.lines,
        "reconcile_s": measured["reconcile_s"],
        "floor_s": measured["floor_s"],
        "vs_floor": vs_floor(measured["reconcile_s"], measured["floor_s"]),
        "unkeyed_floor_s": measured["unkeyed_floor_s"],
        "unkeyed_vs_floor": vs_floor(measured["unkeyed_floor_s"], measured["floor_s"]),
        "keyed_floor_s": measured["keyed_floor_s"],
        "vs_keyed_floor": vs_floor(measured["reconcile_s"], measured["keyed_floor_s"]),
        "peak_rss_mb": measured["peak_rss_mb"],
        "baseline_s": naive and naive["baseline_s"],
        "ratio": ratio(naive, measured["reconcile_s"]),
        "classes": measured["classes"],
        "floor_classes": measured["floor_classes"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
