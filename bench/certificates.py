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
  one create per certificate; its time is scaled to the whole file;
* the floor (the keyed floor: the real table), on a copy of the database
  taken before the import, so that the import and its floor start from the
  same state: the same file parsed by the csv module, one COPY into an
  unlogged scratch table and one INSERT ... SELECT matching it by normalized
  serial into ``it_wipe_certificate`` itself, with its foreign keys and
  indexes (no check, no named errors, no stored file, no wipe statuses);
  then, in the same transaction, one UPDATE of the media's and one of the
  devices' wipe statuses (``states_floor_s``: the floor of what the import
  stores). Rolled back; its counts are printed beside the import's.

With --profile FILE, the import runs under cProfile and its statistics are
written to FILE (read them with ``python3 -m pstats FILE``); the time printed
is then the profiled one.

The last line printed is one JSON object:
{"devices": N, "import_s": …, "floor_s": …, "vs_floor": …,
 "states_floor_s": …, "vs_states_floor": …, "queries": …,
 "queries_per_1000": …, "peak_rss_mb": …, "baseline_s": …, "baseline_rows": …,
 "ratio": …, "counts": {…}, "floor_counts": {…}, "load_import": [1, 5, 15 min],
 "load_floor": […], "cpus": …}: the load averages right after the import and
after its floor.
"""

import argparse
import cProfile
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchlib import (
    addons_path,
    odoo_env,
    peak_rss_mb,
    populate,
    ratio,
    run_benchmark,
    run_phase,
    vs_floor,
)

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


def measure(db, path, profile=None):
    env = odoo_env(db)
    content = Path(path).read_bytes()
    queries_before = env.cr.sql_log_count
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = env["it.wipe.report"]._import_file(content, "bench.csv")
    env.flush_all()
    env.cr.commit()
    if profiler:
        profiler.disable()
    import_s = time.perf_counter() - started
    if profiler:
        profiler.dump_stats(profile)
    queries = env.cr.sql_log_count - queries_before
    counts = report_counts(env, report.id)
    rss_mb = peak_rss_mb()
    env.cr.close()
    print(
        json.dumps(
            {
                "import_s": round(import_s, 2),
                "queries": queries,
                "peak_rss_mb": rss_mb,
                "counts": counts,
                "load": machine_load(),
            }
        )
    )


def machine_load():
    """The machine's load average over 1, 5 and 15 minutes: the other work
    the measured time shared the cores with."""
    return [round(load, 2) for load in os.getloadavg()]


def report_counts(env, report_id):
    """What a report stored: its certificates, the unmatched and failed ones,
    the media and devices sanitized (the floor's and the import's alike)."""
    cr = env.cr
    cr.execute(
        """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE NOT is_matched),
               COUNT(*) FILTER (WHERE status = 'not_erased')
          FROM it_wipe_certificate WHERE report_id = %s
        """,
        [report_id],
    )
    certificates, unmatched, failed = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM it_storage_medium WHERE wipe_state = 'done'")
    media_sanitized = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM maintenance_equipment WHERE wipe_state = 'done'")
    return {
        "certificates": certificates,
        "unmatched": unmatched,
        "failed": failed,
        "media_sanitized": media_sanitized,
        "devices_sanitized": cr.fetchone()[0],
    }


# The floor's one statement: every row of the file, matched by normalized
# serial to its device and medium, into the certificate table itself.
FLOOR_INSERT = """
INSERT INTO it_wipe_certificate (
    report_id, company_id, medium_id, equipment_id, is_matched, report_ref,
    device_serial, medium_serial, method, level, tool, tool_version, status,
    operator, date_start, date_end, verification, witnessed_on_site,
    exception_accepted, is_valid, create_uid, create_date, write_uid, write_date)
SELECT %(report)s, %(company)s, medium.id,
       COALESCE(medium.equipment_id, device.id),
       COALESCE(medium.equipment_id, device.id) IS NOT NULL,
       row.report_ref, row.device_serial, row.medium_serial, row.method,
       row.level, row.tool, row.tool_version, row.status, row.operator,
       row.moment, row.moment, row.verification, FALSE, FALSE,
       row.status = 'erased', %(uid)s, NOW() AT TIME ZONE 'UTC',
       %(uid)s, NOW() AT TIME ZONE 'UTC'
  FROM bench_certificate_floor row
  LEFT JOIN maintenance_equipment device
    ON device.serial_no_normalized = row.device_key
   AND device.company_id = %(company)s
  LEFT JOIN it_storage_medium medium
    ON medium.serial_no_normalized = row.medium_key
   AND medium.company_id = %(company)s
"""

# The wipe statuses the import recomputes, by hand: each medium of the report
# from all its certificates, then each device from its media (the rules of
# it.storage.medium._get_wipe_check and maintenance.equipment's
# _compute_wipe_state).
FLOOR_MEDIA_UPDATE = """
UPDATE it_storage_medium medium
   SET wipe_state = CASE WHEN checked.acceptable THEN 'done'
                         WHEN checked.valid THEN 'insufficient'
                         WHEN checked.exceptions THEN 'exception'
                         ELSE 'failed' END
  FROM (SELECT certificate.medium_id,
               bool_or(certificate.is_valid
                       AND array_position(%(levels)s, certificate.level)
                           >= array_position(
                                %(levels)s,
                                COALESCE(device.wipe_level_required, 'purge'))
                       AND (NOT COALESCE(device.is_classified, FALSE)
                            OR certificate.level = 'destroy'
                            OR certificate.witnessed_on_site)) AS acceptable,
               bool_or(certificate.is_valid) AS valid,
               bool_or(certificate.status = 'erased_exceptions') AS exceptions
          FROM it_wipe_certificate certificate
          JOIN it_storage_medium medium ON medium.id = certificate.medium_id
          JOIN maintenance_equipment device ON device.id = medium.equipment_id
         WHERE certificate.medium_id IN (
                SELECT medium_id FROM it_wipe_certificate WHERE report_id = %(report)s)
         GROUP BY certificate.medium_id) AS checked
 WHERE medium.id = checked.medium_id
"""
FLOOR_DEVICES_UPDATE = """
UPDATE maintenance_equipment device
   SET wipe_state = CASE WHEN media.done THEN 'done'
                         WHEN media.missing THEN 'awaiting'
                         ELSE 'problem' END
  FROM (SELECT equipment_id, bool_and(wipe_state = 'done') AS done,
               bool_or(wipe_state = 'missing') AS missing
          FROM it_storage_medium
         WHERE equipment_id IN (
                SELECT equipment_id FROM it_wipe_certificate WHERE report_id = %(report)s)
         GROUP BY equipment_id) AS media
 WHERE device.id = media.equipment_id
"""
FLOOR_LEVELS = {"clear": "clear", "purge": "purge", "destroy": "destroy"}
FLOOR_STATUSES = {
    "erased": "erased",
    "erased with exceptions": "erased_exceptions",
    "not erased": "not_erased",
}


def certificate_floor(db, path):
    """The floor of the import on ``db`` (a copy of the database as the import
    found it): the file parsed by the csv module, one COPY into an unlogged
    scratch table and one INSERT ... SELECT into it_wipe_certificate (its
    foreign keys and indexes: what storing the certificates costs at least);
    then one UPDATE of the media's and one of the devices' wipe statuses.
    The report row is inserted before the clock starts. Rolled back."""
    env = odoo_env(db)
    cr = env.cr
    company = env.company
    cr.execute(
        """
        INSERT INTO it_wipe_report (name, company_id, file_format, file_name,
                                    sha256, create_uid, create_date,
                                    write_uid, write_date)
        VALUES ('floor', %s, 'csv', 'floor.csv', 'floor', %s, NOW(), %s, NOW())
        RETURNING id
        """,
        [company.id, env.uid, env.uid],
    )
    report_id = cr.fetchone()[0]
    cr.execute(
        "CREATE UNLOGGED TABLE bench_certificate_floor (report_ref varchar, "
        "device_serial varchar, device_key varchar, medium_serial varchar, "
        "medium_key varchar, method varchar, level varchar, tool varchar, "
        "tool_version varchar, status varchar, operator varchar, "
        "moment timestamp, verification varchar)"
    )
    # What the import reads first (the register's serials), read once here
    # too, so that neither pays a cold cache for it.
    cr.execute(
        "SELECT COUNT(serial_no_normalized) FROM maintenance_equipment "
        "WHERE company_id = %s",
        [company.id],
    )
    cr.execute(
        "SELECT COUNT(serial_no_normalized) FROM it_storage_medium "
        "WHERE company_id = %s",
        [company.id],
    )
    params = {
        "report": report_id,
        "company": company.id,
        "uid": env.uid,
        "levels": list(FLOOR_LEVELS),
    }
    started = time.perf_counter()
    buffer = io.StringIO()
    with open(path, encoding="utf-8", newline="") as report:
        reader = csv.reader(report)
        header = next(reader)
        at = {name: header.index(name) for name in header}
        for row in reader:
            device = row[at["device_serial"]].strip()
            medium = row[at["medium_serial"]].strip()
            moment = datetime.fromisoformat(row[at["timestamp"]].replace("Z", ""))
            buffer.write(
                "\t".join(
                    (
                        row[at["report_id"]],
                        device,
                        device.casefold(),
                        medium,
                        medium.casefold(),
                        row[at["method"]],
                        FLOOR_LEVELS[row[at["level"]].strip().casefold()],
                        row[at["tool"]],
                        row[at["tool_version"]],
                        FLOOR_STATUSES[row[at["status"]].strip().casefold()],
                        row[at["operator"]],
                        moment.isoformat(),
                        row[at["verification"]],
                    )
                )
                + "\n"
            )
    buffer.seek(0)
    cr.copy_expert("COPY bench_certificate_floor FROM STDIN", buffer)
    cr.execute(FLOOR_INSERT, params)
    floor_s = time.perf_counter() - started
    cr.execute(FLOOR_MEDIA_UPDATE, params)
    cr.execute(FLOOR_DEVICES_UPDATE, params)
    states_floor_s = time.perf_counter() - started
    counts = report_counts(env, report_id)
    cr.rollback()
    cr.close()
    print(
        json.dumps(
            {
                "floor_s": round(floor_s, 2),
                "states_floor_s": round(states_floor_s, 2),
                "floor_counts": counts,
                "load": machine_load(),
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
        "--profile", help="run the import under cProfile, statistics to this file"
    )
    parser.add_argument(
        "--phase",
        choices=[
            "install",
            "populate",
            "pack",
            "report",
            "copy",
            "measure",
            "floor",
            "baseline",
        ],
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
    if args.phase == "copy":
        # The floor's own copy of the database as the import will find it.
        subprocess.run(["createdb", "-T", args.db, args.file], check=True)
        return
    if args.phase == "measure":
        measure(args.db, args.file, args.profile)
        return
    if args.phase == "floor":
        certificate_floor(args.db, args.file)
        return
    if args.phase == "baseline":
        baseline(args.db, args.file, args.baseline_rows)
        return

    db = args.db or f"mitl_bench_certificates_{args.devices}_{os.getpid()}"
    floor_db = f"{db}_floor"
    report = Path(tempfile.mkdtemp()) / "sanitization.csv"
    measure_args = ["--file", str(report), "--baseline-rows", str(args.baseline_rows)]
    if args.profile:
        measure_args += ["--profile", str(Path(args.profile).resolve())]
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
                ("copy", "--file", floor_db),
            ],
            measure_args=measure_args,
            baseline=args.baseline,
            keep_db=args.keep_db,
        )
        floor = run_phase(__file__, "floor", floor_db, "--file", str(report))
        print(f"floor: {floor}", file=sys.stderr)
    finally:
        report.unlink(missing_ok=True)
        subprocess.run(["dropdb", "--if-exists", floor_db], check=False)
    result = {
        "devices": args.devices,
        "import_s": measured["import_s"],
        "floor_s": floor["floor_s"],
        "vs_floor": vs_floor(measured["import_s"], floor["floor_s"]),
        "states_floor_s": floor["states_floor_s"],
        "vs_states_floor": vs_floor(measured["import_s"], floor["states_floor_s"]),
        "queries": measured["queries"],
        "queries_per_1000": round(measured["queries"] * 1000 / args.devices, 1),
        "peak_rss_mb": measured["peak_rss_mb"],
        "baseline_s": naive and naive["baseline_s"],
        "baseline_rows": naive and naive["baseline_rows"],
        "ratio": ratio(naive, measured["import_s"]),
        "counts": measured["counts"],
        "floor_counts": floor["floor_counts"],
        "load_import": measured["load"],
        "load_floor": floor["load"],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
