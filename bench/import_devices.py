#!/usr/bin/env python3
"""Benchmark the import of the register through Odoo's own import.

    bench/import_devices.py --devices N [--codes C] [--batch B] [--keep-db]

Writes a CSV of N devices (name, serial number, model, category, activity
code, status) and imports it the way the web client does: one
``base_import.import`` record, then ``execute_import`` called batch after
batch (``limit`` B rows, ``skip`` the rows done, each batch its own
transaction) until Odoo reports no next row. Each import runs in a fresh
process:

* into a database with municipal_it_lease (its validation on: serial
  numbers unique per company whatever their case, known activity codes,
  a device in use needs a code);
* the baseline: the same file into plain ``maintenance.equipment`` (a
  database with only Odoo's maintenance app; the addon's columns are left
  unmapped, as a user would);
* in the background: the file queued as a *Device Import* and imported by
  one call of its scheduled job (``ir.cron.method_direct_trigger``, as
  *Run Manually*), 2,000 rows a batch in one transaction (a third database).

The last line printed is one JSON object:
{"devices": N, "batch": B, "import_s": …, "peak_rss_mb": …, "imported": …,
 "baseline_s": …, "baseline_peak_rss_mb": …, "vs_baseline": …,
 "background_s": …, "background_peak_rss_mb": …}
"""

import argparse
import base64
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from benchlib import install, odoo_env, peak_rss_mb, run_phase

HEADER = [
    "name",
    "serial_no",
    "model",
    "device_category",
    "activity_code_id",
    "lifecycle_state",
]
# The plain maintenance app has no device category, activity code or status.
PLAIN_FIELDS = ["name", "serial_no", "model", False, False, False]


def write_file(path, devices, codes):
    with open(path, "w", encoding="utf-8") as target:
        target.write(",".join(HEADER) + "\n")
        target.writelines(
            f"Laptop {n},IMP{n:08d},Business laptop 14,laptop,"
            f"{1000 + n % codes},in_use\n"
            for n in range(1, devices + 1)
        )


def prepare_codes(db, codes):
    """The activity codes the file refers to."""
    env = odoo_env(db)
    plan = env.company.it_activity_code_plan_id
    env["account.analytic.account"].create(
        [
            {"name": f"Verksamhet {n:04d}", "code": f"{1000 + n}", "plan_id": plan.id}
            for n in range(codes)
        ]
    )
    env.cr.commit()
    env.cr.close()
    print(json.dumps({"codes": codes}))


def import_file(db, path, batch, plain):
    """Import the file batch by batch, as the web client does; one
    transaction per batch."""
    env = odoo_env(db)
    importer = env["base_import.import"].create(
        {
            "res_model": "maintenance.equipment",
            "file": Path(path).read_bytes(),
            "file_type": "text/csv",
            "file_name": "devices.csv",
        }
    )
    env.cr.commit()
    fields = PLAIN_FIELDS if plain else HEADER
    imported, batches, skip = 0, 0, 0
    started = time.perf_counter()
    while True:
        options = {
            "quoting": '"',
            "separator": ",",
            "has_headers": True,
            "limit": batch,
            "skip": skip,
        }
        result = importer.execute_import(fields, HEADER, options)
        errors = [m for m in result.get("messages", []) if m["type"] == "error"]
        if errors:
            raise SystemExit(f"import refused at row {skip}: {errors[:3]}")
        env.cr.commit()
        env.invalidate_all()
        imported += len(result["ids"])
        batches += 1
        skip = result.get("nextrow") or 0
        if not skip:
            break
    import_s = time.perf_counter() - started
    env.cr.execute("SELECT COUNT(*) FROM maintenance_equipment")
    count = env.cr.fetchone()[0]
    env.cr.close()
    print(
        json.dumps(
            {
                "import_s": round(import_s, 2),
                "peak_rss_mb": peak_rss_mb(),
                "imported": imported,
                "batches": batches,
                "in_database": count,
            }
        )
    )


def import_in_background(db, path):
    """Queue the file as a Device Import and run one call of the scheduled
    job on it: the same import, 2,000 rows a batch, in one transaction."""
    env = odoo_env(db)
    record = env["it.device.import"].create(
        {
            "file": base64.b64encode(Path(path).read_bytes()),
            "filename": "devices.csv",
        }
    )
    record.action_queue()
    env.cr.commit()
    started = time.perf_counter()
    env.ref("municipal_it_lease.ir_cron_it_device_import").method_direct_trigger()
    env.cr.commit()
    import_s = time.perf_counter() - started
    record.invalidate_recordset()
    print(
        json.dumps(
            {
                "import_s": round(import_s, 2),
                "peak_rss_mb": peak_rss_mb(),
                "imported": record.device_count,
                "state": record.state,
                "error": record.error_message,
            }
        )
    )
    env.cr.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--phase", choices=["codes", "import", "background"])
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--db")
    parser.add_argument("--file")
    args = parser.parse_args()

    if args.phase == "codes":
        prepare_codes(args.db, args.codes)
        return
    if args.phase == "import":
        import_file(args.db, args.file, args.batch, args.plain)
        return
    if args.phase == "background":
        import_in_background(args.db, args.file)
        return

    db = args.db or f"mitl_bench_import_{args.devices}_{os.getpid()}"
    plain_db = f"{db}_plain"
    background_db = f"{db}_background"
    path = Path(tempfile.mkdtemp()) / "devices.csv"
    try:
        write_file(path, args.devices, args.codes)
        install(db)
        run_phase(__file__, "codes", db, "--codes", str(args.codes))
        install(plain_db, modules="maintenance")
        common = ("--file", str(path), "--batch", str(args.batch))
        baseline = run_phase(__file__, "import", plain_db, *common, "--plain")
        measured = run_phase(__file__, "import", db, *common)
        install(background_db)
        run_phase(__file__, "codes", background_db, "--codes", str(args.codes))
        background = run_phase(
            __file__, "background", background_db, "--file", str(path)
        )
    finally:
        path.unlink(missing_ok=True)
        if not args.keep_db:
            for name in (db, plain_db, background_db):
                subprocess.run(["dropdb", "--if-exists", name], check=False)
    assert measured["imported"] == args.devices, measured
    assert baseline["imported"] == args.devices, baseline
    assert background["imported"] == args.devices, background
    result = {
        "devices": args.devices,
        "batch": args.batch,
        "import_s": measured["import_s"],
        "peak_rss_mb": measured["peak_rss_mb"],
        "imported": measured["imported"],
        "batches": measured["batches"],
        "baseline_s": baseline["import_s"],
        "baseline_peak_rss_mb": baseline["peak_rss_mb"],
        "vs_baseline": round(measured["import_s"] / baseline["import_s"], 2),
        "background_s": background["import_s"],
        "background_peak_rss_mb": background["peak_rss_mb"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
