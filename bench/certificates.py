#!/usr/bin/env python3
"""Benchmark the import of sanitization (data wipe) reports.

    bench/certificates.py --devices N [--baseline] [--keep-db]

Creates its own database with N leased devices decided for return, one
storage medium each, packed in received return crates of 1,000 devices, and a
CSV sanitization export with one row per device: 2 % of the erasures failed
and 1 % name a device serial the register does not know. Then, in fresh
processes:

* the import: parse, check, match by normalized serial and store every
  certificate (all or nothing), timed; its SQL query count; peak RSS;
* with --baseline, the naive way on the first rows of the same file (at most
  --baseline-rows): one search per row for the device and one for the medium,
  one create per certificate; its time is scaled to the whole file.

The last line printed is one JSON object:
{"devices": N, "import_s": …, "queries": …, "queries_per_1000": …,
 "peak_rss_mb": …, "baseline_s": …, "baseline_rows": …, "ratio": …, "counts": {…}}
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import addons_path, odoo_env, populate, ratio, run_benchmark

CRATE_SIZE = 1000
HEADER = (
    "report_id,device_serial,medium_serial,method,level,tool,tool_version,"
    "status,operator,timestamp,verification\n"
)


def install_disposal(db):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            f"--addons-path={addons_path()}",
            "-i",
            "municipal_it_disposal",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
    print(json.dumps({}))


def pack(db):
    """Decide every lease for return, give each device one medium and pack
    them in received crates, in bulk SQL (the import is what is measured)."""
    env = odoo_env(db)
    cr = env.cr
    company = env.company
    lessor = env["res.partner"].search([("name", "=", "Bench Lessor AB")], limit=1)
    cr.execute("UPDATE it_lease_line SET end_decision = 'return'")
    cr.execute(
        """
        UPDATE maintenance_equipment
           SET return_requested = TRUE, lifecycle_state = 'returned',
               wipe_level_required = 'purge', wipe_state = 'awaiting'
        """
    )
    cr.execute(
        """
        INSERT INTO it_storage_medium (
            equipment_id, company_id, medium_type, serial_no,
            serial_no_normalized, capacity_gb, wipe_state,
            create_uid, create_date, write_uid, write_date)
        SELECT id, company_id, 'nvme', 'MD' || substr(serial_no, 3),
               'md' || substr(serial_no, 3), 512, 'missing', 1, NOW(), 1, NOW()
          FROM maintenance_equipment WHERE serial_no LIKE 'SN%%'
        """
    )
    cr.execute("SELECT COUNT(*) FROM maintenance_equipment WHERE serial_no LIKE 'SN%%'")
    devices = cr.fetchone()[0]
    crates = -(-devices // CRATE_SIZE)
    cr.execute(
        """
        INSERT INTO it_disposal_batch (
            name, company_id, recipient_id, crate_number, seal_numbers, state,
            pickup_date, receipt_deadline, escalation_deadline, escalation_level,
            create_uid, create_date, write_uid, write_date)
        SELECT 'BENCH/' || i, %s, %s, 'C-' || i, 'S-' || i, 'received',
               DATE '2026-03-02', DATE '2026-03-12', DATE '2026-03-22', 0,
               1, NOW(), 1, NOW()
          FROM generate_series(1, %s) AS i
        """,
        [company.id, lessor.id, crates],
    )
    cr.execute(
        """
        INSERT INTO it_disposal_batch_line (
            batch_id, company_id, equipment_id, lease_line_id, reason,
            receipt_state, received_date, in_transit, agreement_state,
            create_uid, create_date, write_uid, write_date)
        SELECT batch.id, equipment.company_id, equipment.id, lease.id, 'return',
               'received', DATE '2026-03-10', FALSE, 'pending',
               1, NOW(), 1, NOW()
          FROM (SELECT id, company_id,
                       (ROW_NUMBER() OVER (ORDER BY id) - 1) / %s + 1 AS crate
                  FROM maintenance_equipment WHERE serial_no LIKE 'SN%%') equipment
          JOIN it_lease_line lease ON lease.equipment_id = equipment.id
          JOIN it_disposal_batch batch ON batch.name = 'BENCH/' || equipment.crate
        """,
        [CRATE_SIZE],
    )
    cr.execute("ANALYZE")
    cr.commit()
    cr.close()
    print(json.dumps({"devices": devices, "crates": crates}))


def write_report(db, path):
    env = odoo_env(db)
    env.cr.execute(
        "SELECT serial_no FROM maintenance_equipment "
        "WHERE serial_no LIKE 'SN%%' ORDER BY id"
    )
    serials = [row[0] for row in env.cr.fetchall()]
    env.cr.close()
    with open(path, "w", encoding="utf-8") as report:
        report.write(HEADER)
        for number, serial in enumerate(serials):
            medium = "MD" + serial[2:]
            status = "not erased" if number % 50 == 7 else "erased"  # 2 %
            if number % 100 == 11:  # 1 %: a device the register does not know
                serial, medium = f"GHOST{number:08d}", f"GM{number:08d}"
            report.write(
                f"BENCH-RPT,{serial},{medium},NIST 800-88 Purge,Purge,"
                f"Blancco Drive Eraser,7.9.0,{status},Operatör,"
                "2026-03-11T09:00:00Z,verified\n"
            )
    print(json.dumps({"rows": len(serials)}))


def measure(db, path):
    env = odoo_env(db)
    content = Path(path).read_bytes()
    queries_before = env.cr.sql_log_count
    started = time.perf_counter()
    report = env["it.wipe.report"]._import_file(content, "bench.csv")
    env.flush_all()
    env.cr.commit()
    import_s = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries_before
    counts = {
        "certificates": report.certificate_count,
        "unmatched": report.unmatched_count,
        "failed": report.failed_count,
        "devices_sanitized": env["maintenance.equipment"].search_count(
            [("wipe_state", "=", "done")]
        ),
    }
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    env.cr.close()
    print(
        json.dumps(
            {
                "import_s": round(import_s, 2),
                "queries": queries,
                "peak_rss_mb": round(peak_rss_mb, 1),
                "counts": counts,
            }
        )
    )


def baseline(db, path, rows):
    """The naive way: per row, search the device and the medium by their
    indexed normalized serial, then create the certificate alone."""
    env = odoo_env(db)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    total = len(lines) - 1
    lines = lines[1 : rows + 1]
    Equipment = env["maintenance.equipment"]
    Medium = env["it.storage.medium"]
    Certificate = env["it.wipe.certificate"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
    )
    report = env["it.wipe.report"].create(
        {"name": "naive", "file_format": "csv", "sha256": "naive"}
    )
    started = time.perf_counter()
    for text in lines:
        values = text.split(",")
        device = Equipment.search(
            [("serial_no_normalized", "=", values[1].strip().casefold())], limit=1
        )
        medium = Medium.search(
            [("serial_no_normalized", "=", values[2].strip().casefold())], limit=1
        )
        Certificate.create(
            {
                "report_id": report.id,
                "company_id": report.company_id.id,
                "equipment_id": device.id,
                "medium_id": medium.id,
                "report_ref": values[0],
                "device_serial": values[1],
                "medium_serial": values[2],
                "method": values[3],
                "level": "purge",
                "status": "erased" if values[7] == "erased" else "not_erased",
            }
        )
    env.flush_all()
    sample_s = time.perf_counter() - started
    env.cr.rollback()
    env.cr.close()
    print(
        json.dumps(
            {
                "baseline_s": round(sample_s * total / max(len(lines), 1), 2),
                "baseline_rows": len(lines),
                "baseline_sample_s": round(sample_s, 2),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--baseline-rows", type=int, default=5000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--phase",
        choices=["install", "populate", "pack", "report", "measure", "baseline"],
    )
    parser.add_argument("--db")
    parser.add_argument("--file")
    args = parser.parse_args()

    if args.phase == "install":
        install_disposal(args.db)
        return
    if args.phase == "populate":
        populate(args.db, args.devices, args.codes)
        return
    if args.phase == "pack":
        pack(args.db)
        return
    if args.phase == "report":
        write_report(args.db, args.file)
        return
    if args.phase == "measure":
        measure(args.db, args.file)
        return
    if args.phase == "baseline":
        baseline(args.db, args.file, args.baseline_rows)
        return

    db = args.db or f"mitl_bench_certificates_{args.devices}_{os.getpid()}"
    report = Path(tempfile.mkdtemp()) / "sanitization.csv"
    try:
        measured, naive = run_benchmark(
            __file__,
            db,
            [
                ("install",),
                (
                    "populate",
                    "--devices",
                    str(args.devices),
                    "--codes",
                    str(args.codes),
                ),
                ("pack",),
                ("report", "--file", str(report)),
            ],
            measure_args=(
                "--file",
                str(report),
                "--baseline-rows",
                str(args.baseline_rows),
            ),
            baseline=args.baseline,
            keep_db=args.keep_db,
        )
    finally:
        report.unlink(missing_ok=True)
    result = {
        "devices": args.devices,
        "import_s": measured["import_s"],
        "queries": measured["queries"],
        "queries_per_1000": round(measured["queries"] * 1000 / args.devices, 1),
        "peak_rss_mb": measured["peak_rss_mb"],
        "baseline_s": naive and naive["baseline_s"],
        "baseline_rows": naive and naive["baseline_rows"],
        "ratio": ratio(naive, measured["import_s"]),
        "counts": measured["counts"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
