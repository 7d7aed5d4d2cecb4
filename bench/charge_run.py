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
{"devices": N, "codes": C, "run_s": …, "floor_s": …, "vs_floor": …,
 "unkeyed_floor_s": …, "unkeyed_vs_floor": …,
 "keyed_floor_s": …, "vs_keyed_floor": …,
 "xlsx_s": …, "xlsx_floor_s": …, "xlsx_vs_floor": …, "lines": …,
 "peak_rss_mb": …, "baseline_s": …, "ratio": …}

The floor of the run is one INSERT ... SELECT of the month's per-device lines
into an unlogged scratch table plus the ORM post of the journal entry already
aggregated per code; the keyed floor is the same into a logged table with
the four foreign keys and indexes of a charge line, the unkeyed floor the
same table without its foreign keys (``unkeyed_vs_floor``: the least ratio to
the floor any run that stores its lines can reach); the floor of the XLSX is a plain xlsxwriter
constant-memory dump of the same rows read by one server-side cursor. Both
are measured in the same process, on the same data, after the real work
(so on a warm database cache: the floor is if anything low), after a warm-up
of the ORM's journal entry and of the report machinery for both.
"""

import argparse
import json
import os
import re
import tempfile
import time
from datetime import date
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


def measure(db):
    """Time the run (compute + post) and the XLSX in this fresh process, then
    their floors on the same data."""
    env = odoo_env(db)
    warm_up(env)
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
    rss_mb = peak_rss_mb()
    floor = charge_floor(env, run)
    unkeyed_floor = charge_floor(env, run, table=UNKEYED_TABLE)
    keyed_floor = charge_floor(env, run, table=KEYED_TABLE)
    assert keyed_floor["lines"] == unkeyed_floor["lines"] == floor["lines"]
    xlsx_floor = xlsx_floor_s(env, run)
    result = {
        "run_s": round(run_s, 2),
        "floor_s": floor["floor_s"],
        "unkeyed_floor_s": unkeyed_floor["floor_s"],
        "keyed_floor_s": keyed_floor["floor_s"],
        "floor_lines": floor["lines"],
        "xlsx_s": round(xlsx_s, 2),
        "xlsx_floor_s": xlsx_floor,
        "peak_rss_mb": rss_mb,
        "lines": len(run.line_ids),
        "total": run.move_id.amount_total,
        "xlsx_bytes": len(content),
    }
    env.cr.close()
    print(json.dumps(result))


def warm_up(env):
    """Warm what a running server has warm after its first request, so that
    neither the measured way nor its floor pays it: the ORM's triggers of a
    journal entry (a two-line entry created and posted) and the XLSX report
    machinery (the workbook of an empty run). Rolled back."""
    company = env.company
    move = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": company.it_charge_journal_id.id,
            "date": MONTH,
            "line_ids": [
                (0, 0, {"account_id": account.id, "balance": balance})
                for account, balance in (
                    (company.it_charge_expense_account_id, 1.0),
                    (company.it_charge_income_account_id, -1.0),
                )
            ],
        }
    )
    move._post(soft=False)
    empty = env["it.charge.run"].create({"date_from": date(2020, 1, 1)})
    env["ir.actions.report"]._render_xlsx(
        "municipal_it_lease.charge_run_xlsx", empty.ids, {}
    )
    env.cr.rollback()
    env.invalidate_all()


# The charge lines of the month, the plain way: every lease line charged in
# March joined to the code periods valid in it, priced per period.
FLOOR_INSERT = """
INSERT INTO bench_charge_floor
SELECT line.equipment_id, line.id, code.activity_code_id,
       LEAST(COALESCE(code.date_to, 'infinity'::date), %(end)s::date, line.date_end)
       - GREATEST(COALESCE(code.date_from, '-infinity'::date), %(start)s::date,
                  line.date_start) + 1 AS days,
       line.monthly_rent
  FROM it_lease_line line
  JOIN it_lease_schedule schedule ON schedule.id = line.schedule_id
  JOIN it_activity_code_assignment code
    ON code.equipment_id = line.equipment_id
   AND COALESCE(code.date_from, '-infinity'::date) <= %(end)s
   AND COALESCE(code.date_to, 'infinity'::date) >= %(start)s
 WHERE line.company_id = %(company)s
   AND schedule.state IN ('active', 'ended')
   AND line.date_start <= %(end)s AND line.date_end >= %(start)s
"""


# The same scratch table with what a stored line needs: logged, an id, and
# the four foreign keys and indexes of a charge line.
KEYED_TABLE = """
CREATE TABLE bench_charge_floor (
    id serial PRIMARY KEY,
    run_id int REFERENCES it_charge_run ON DELETE CASCADE,
    equipment_id int REFERENCES maintenance_equipment,
    lease_line_id int REFERENCES it_lease_line,
    activity_code_id int REFERENCES account_analytic_account,
    days int, rent numeric);
CREATE INDEX ON bench_charge_floor (run_id);
CREATE INDEX ON bench_charge_floor (equipment_id);
CREATE INDEX ON bench_charge_floor (lease_line_id);
CREATE INDEX ON bench_charge_floor (activity_code_id);
"""

# The same table without its foreign keys: what storing the lines costs
# before any key is checked (logged, an id, the same indexes).
UNKEYED_TABLE = re.sub(r" REFERENCES \w+( ON DELETE CASCADE)?", "", KEYED_TABLE)
assert "REFERENCES" not in UNKEYED_TABLE


def charge_floor(env, run, table=None):
    """The floor of a charge run: one INSERT ... SELECT of the month's
    per-device lines into an unlogged scratch table, then the ORM create and
    post of the journal entry aggregated per activity code. Rolled back.

    ``table``: the same into that table instead, KEYED_TABLE (the foreign
    keys and indexes of a charge line: what storing the lines costs at
    least) or UNKEYED_TABLE (the same without the foreign keys)."""
    cr = env.cr
    company = run.company_id
    keyed = bool(table)
    if keyed:
        cr.execute(table)
    else:
        cr.execute(
            "CREATE UNLOGGED TABLE bench_charge_floor (equipment_id int, "
            "lease_line_id int, activity_code_id int, days int, rent numeric)"
        )
    started = time.perf_counter()
    insert = FLOOR_INSERT
    if keyed:
        insert = FLOOR_INSERT.replace(
            "INSERT INTO bench_charge_floor\nSELECT line.equipment_id,",
            "INSERT INTO bench_charge_floor (run_id, equipment_id, lease_line_id, "
            "activity_code_id, days, rent)\nSELECT %(run)s, line.equipment_id,",
        )
        assert insert != FLOOR_INSERT
    cr.execute(
        insert,
        {
            "start": run.date_from,
            "end": run.date_to,
            "company": company.id,
            "run": run.id,
        },
    )
    lines = cr.rowcount
    cr.execute(
        "SELECT activity_code_id, SUM(ROUND(rent * days / 31, 2)) "
        "FROM bench_charge_floor GROUP BY activity_code_id ORDER BY 1"
    )
    totals = cr.fetchall()
    total = sum(amount for _code, amount in totals)
    move = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": company.it_charge_journal_id.id,
            "date": run.date_to,
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "account_id": company.it_charge_expense_account_id.id,
                        "balance": float(amount),
                        "analytic_distribution": {str(code): 100},
                    },
                )
                for code, amount in totals
            ]
            + [
                (
                    0,
                    0,
                    {
                        "account_id": company.it_charge_income_account_id.id,
                        "balance": -float(total),
                        "analytic_distribution": {
                            str(company.it_charge_analytic_account_id.id): 100
                        },
                    },
                )
            ],
        }
    )
    move._post(soft=False)
    env.flush_all()
    floor_s = time.perf_counter() - started
    cr.rollback()
    env.invalidate_all()
    return {"floor_s": round(floor_s, 2), "lines": lines}


XLSX_FLOOR_SELECT = """
SELECT equipment.serial_no, equipment.name->>'en_US', equipment.model,
       employee.name, department.name->>'en_US', code.code, schedule.name,
       line.date_from, line.date_to, line.days, line.monthly_rent, line.amount
  FROM it_charge_line line
  JOIN maintenance_equipment equipment ON equipment.id = line.equipment_id
  JOIN it_lease_line lease ON lease.id = line.lease_line_id
  JOIN it_lease_schedule schedule ON schedule.id = lease.schedule_id
LEFT JOIN account_analytic_account code ON code.id = line.activity_code_id
LEFT JOIN hr_employee employee ON employee.id = equipment.employee_id
LEFT JOIN hr_department department ON department.id = equipment.department_id
 WHERE line.run_id = %s
ORDER BY COALESCE(code.code, ''), equipment.serial_no, line.date_from, line.id
"""


def xlsx_floor_s(env, run):
    """The floor of the XLSX: the same rows from one server-side cursor,
    dumped by a plain xlsxwriter workbook in constant-memory mode."""
    import xlsxwriter

    started = time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
        workbook = xlsxwriter.Workbook(target.name, {"constant_memory": True})
        sheet = workbook.add_worksheet("Devices")
        money = workbook.add_format({"num_format": "#,##0.00"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, [f"column {n}" for n in range(12)])
        cursor = env.cr._cnx.cursor("bench_xlsx_floor")
        cursor.itersize = 5000
        cursor.execute(XLSX_FLOOR_SELECT, [run.id])
        row = 1
        for record in cursor:
            sheet.write_row(row, 0, [value or "" for value in record[:7]])
            sheet.write_datetime(row, 7, record[7], day)
            sheet.write_datetime(row, 8, record[8], day)
            sheet.write_number(row, 9, record[9])
            sheet.write_number(row, 10, float(record[10] or 0.0), money)
            sheet.write_number(row, 11, float(record[11]), money)
            row += 1
        cursor.close()
        workbook.close()
        Path(target.name).read_bytes()
    return round(time.perf_counter() - started, 2)


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
        "floor_s": measured["floor_s"],
        "vs_floor": vs_floor(measured["run_s"], measured["floor_s"]),
        "unkeyed_floor_s": measured["unkeyed_floor_s"],
        "unkeyed_vs_floor": vs_floor(measured["unkeyed_floor_s"], measured["floor_s"]),
        "keyed_floor_s": measured["keyed_floor_s"],
        "vs_keyed_floor": vs_floor(measured["run_s"], measured["keyed_floor_s"]),
        "xlsx_s": measured["xlsx_s"],
        "xlsx_floor_s": measured["xlsx_floor_s"],
        "xlsx_vs_floor": vs_floor(measured["xlsx_s"], measured["xlsx_floor_s"]),
        "lines": measured["lines"],
        "peak_rss_mb": measured["peak_rss_mb"],
        "baseline_s": naive and naive["baseline_s"],
        "ratio": ratio(naive, measured["run_s"]),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
