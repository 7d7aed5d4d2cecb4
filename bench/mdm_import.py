#!/usr/bin/env python3
"""Benchmark a device-management export (Intune) applied to the register.

    bench/mdm_import.py --devices N [--keep-db]

Creates its own database with ``municipal_it_mdm`` and N devices in use, and
an Intune export listing every device (serials in another letter case, a new
OS version and check-in for each) plus 2 % serials the register does not
know. Then, in a fresh process:

* the addon's way: *Preview* (read and check every cell, match by normalized
  serial, one line per row with its changes) and *Apply* (write the changes,
  all or nothing), timed apart, with the peak RSS;
* the floor, on the same file and a copy of the same register values: the
  file parsed by the ``csv`` module, one ``COPY`` into an unlogged scratch
  table and one ``UPDATE ... FROM`` writing the four register columns, no
  check, no preview, no chatter, no tracking (rolled back).

The last line printed is one JSON object:
{"devices": N, "rows": …, "preview_s": …, "apply_s": …, "total_s": …,
 "floor_s": …, "vs_floor": …, "updated": …, "not_in_register": …,
 "peak_rss_mb": …}
"""

import argparse
import base64
import csv
import io
import json
import subprocess
import sys
import time
import uuid

from benchlib import install, odoo_env, peak_rss_mb, populate, vs_floor

HEADER = [
    "Device name",
    "Serial number",
    "Primary user UPN",
    "OS",
    "OS version",
    "Last check-in",
]


def export(devices):
    """The Intune export as CSV text: every device, then 2 % unknown ones."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for n in range(1, devices + 1):
        writer.writerow(
            [
                f"EXB-LAP-{n:06d}",
                f"sn{n:08d}",
                f"user{n % 5000}@exempelby.se",
                "Windows",
                f"10.0.22631.{4000 + n % 500}",
                f"2026-03-{1 + n % 28:02d} 08:{n % 60:02d}:00",
            ]
        )
    for n in range(devices // 50):
        writer.writerow(
            [
                f"EXB-NEW-{n:06d}",
                f"NEW{n:08d}",
                "",
                "Windows",
                "11",
                "2026-03-02 09:00:00",
            ]
        )
    return out.getvalue()


def floor_s(env, text):
    """Parse, COPY into a scratch table, one UPDATE of the register."""
    cr = env.cr
    cr.execute("SAVEPOINT mdm_floor")
    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(text)))[1:]
    cr.execute(
        "CREATE UNLOGGED TABLE bench_mdm_floor (name text, serial text, upn text, "
        "os text, version text, checkin timestamp)"
    )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    cr._obj.copy_expert("COPY bench_mdm_floor FROM STDIN WITH (FORMAT csv)", buffer)
    cr.execute(
        """
        UPDATE maintenance_equipment equipment
           SET mdm_device_name = floor.name, mdm_primary_user = floor.upn,
               mdm_os = floor.os, os_version = floor.version,
               mdm_last_checkin = floor.checkin
          FROM bench_mdm_floor floor
         WHERE equipment.serial_no_normalized = lower(floor.serial)
           AND equipment.company_id = %s
        """,
        [env.company.id],
    )
    updated = cr.rowcount
    elapsed = time.perf_counter() - started
    cr.execute("ROLLBACK TO SAVEPOINT mdm_floor")
    return round(elapsed, 2), updated


def measure(db, devices):
    env = odoo_env(db)
    text = export(devices)
    source = env.ref("municipal_it_mdm.it_mdm_source_intune")
    source.company_id = env.company
    mdm_import = env["it.mdm.import"].create(
        {
            "source_id": source.id,
            "file": base64.b64encode(text.encode()),
            "filename": "intune.csv",
        }
    )
    env.cr.commit()
    # The floor first, on a cold process too; its writes are rolled back.
    floor, floor_updated = floor_s(env, text)
    started = time.perf_counter()
    mdm_import.action_preview()
    env.cr.commit()
    preview_s = time.perf_counter() - started
    started = time.perf_counter()
    mdm_import.action_apply()
    env.cr.commit()
    apply_s = time.perf_counter() - started
    assert mdm_import.state == "done"
    result = {
        "devices": devices,
        "rows": devices + devices // 50,
        "preview_s": round(preview_s, 2),
        "apply_s": round(apply_s, 2),
        "total_s": round(preview_s + apply_s, 2),
        "floor_s": floor,
        "floor_updated": floor_updated,
        "vs_floor": vs_floor(preview_s + apply_s, floor),
        "updated": mdm_import.update_count,
        "not_in_register": mdm_import.not_in_register_count,
        "peak_rss_mb": peak_rss_mb(),
    }
    env.cr.close()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=20000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    db = f"mitl_bench_mdm_{uuid.uuid4().hex[:8]}"
    try:
        install(db, modules="municipal_it_mdm")
        populate(db, args.devices, codes=50)
        # A fresh process for the measurement, as the other benchmarks do.
        output = subprocess.run(
            [sys.executable, __file__, "--phase-measure", db, str(args.devices)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        print(output.strip().splitlines()[-1])
    finally:
        if not args.keep_db:
            import odoo  # loaded by populate() already

            odoo.sql_db.close_db(db)
            subprocess.run(["dropdb", "--if-exists", db], check=False)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--phase-measure":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
