#!/usr/bin/env python3
"""Benchmark the reconciliation of a lessor's e-invoice against the same rows
as a CSV specification.

    bench/einvoice.py --lines N [--keep-db]

Creates its own database (the lease addon and municipal_it_einvoice) with N
leased devices and writes, for March 2026, one specification (CSV, as
bench/reconcile.py writes it: semicolons, Swedish amounts) and one Peppol
BIS Billing 3.0 e-invoice (UBL 2.1, one invoice line per device, its serial
as the line's invoiced object identifier, BT-128, its annex as an item
attribute) of the same rows: one row in a hundred bills a wrong amount, one
in two hundred an unknown serial, one device in two hundred is left out.
Then, each in a fresh process:

* the floor: the CSV specification imported (parsed, stored, classified);
* the e-invoice as it arrives: a vendor bill of the lessor with the
  e-invoice attached, reconciled from the tree Odoo's import of the bill
  has parsed (``_get_edi_decoder`` hands it over; the parse, with Odoo's
  own parser, is Odoo's import's and outside the measure, as the rest of
  that import is): its parties, currency and lines checked, the same rows
  stored and classified;
* the e-invoice cold: the same, read from the attachment (parsed with
  entities off, as *Reconcile E-Invoice Again* and the other e-invoices of
  the month do).

Both land in the same classes as the CSV (checked). Each measure gives its
wall time and its CPU time (this process and its PostgreSQL backend: on a
shared machine the wall time follows the load, the CPU time much less).
The last line printed is one JSON object: {"lines": N, "einvoice_s": …,
"floor_s": …, "ratio": …, "cold_s": …, "cold_ratio": …, "einvoice_cpu_s":
…, "floor_cpu_s": …, "cpu_ratio": …, "cold_cpu_ratio": …, "read_s": …,
"einvoice_mb": …, "peak_rss_mb": …, "cold_peak_rss_mb": …,
"floor_peak_rss_mb": …, "load": […], "classes": {…}}; ratio is einvoice_s /
floor_s (the target: at most 1.2), read_s the part of cold_s spent reading
the XML alone (parse included), load the load averages when it ended.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import (
    MONTH,
    REPO,
    addons_path,
    install,
    odoo_env,
    peak_rss_mb,
    populate,
    run_phase,
    vs_floor,
)
from reconcile import swedish

ADDON = REPO / "addons" / "municipal_it_einvoice"


def _builder():
    """The tests' e-invoice writer, loaded by its path (importing the tests
    package would load the test framework)."""
    spec = importlib.util.spec_from_file_location(
        "einvoice_ubl_builder", ADDON / "tests" / "ubl_builder.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_documents(db, csv_path, xml_path):
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
    currency = env.company.currency_id.name
    env.cr.close()
    lines = []
    for number, (schedule, serial, amount) in enumerate(rows):
        if number % 200 == 7:
            continue  # not invoiced
        if number % 200 == 11:
            serial = f"UNKNOWN-{number}"
        amount = float(amount)
        if number % 100 == 3:
            amount += 100
        lines.append((schedule, serial, amount))
    with open(csv_path, "w", encoding="utf-8") as spec:
        spec.write("Bilaga;Serienummer;Modell;Period;Belopp\n")
        for schedule, serial, amount in lines:
            spec.write(f"{schedule};{serial};Laptop 14;2026-03;{swedish(amount)}\n")
    content = _builder().build(
        [
            (serial, amount, {"schedule": schedule})
            for schedule, serial, amount in lines
        ],
        number="BENCH-F-1",
        currency=currency,
        contract_ref=None,
        seller=("Bench Lessor AB", "5566778899"),
    )
    Path(xml_path).write_bytes(content)
    print(json.dumps({"rows": len(lines), "einvoice_mb": len(content) / 2**20}))


def _classes(env, reconciliation):
    return {
        status: count
        for status, count in env["it.lease.reconciliation.line"]._read_group(
            [("reconciliation_id", "=", reconciliation.id)],
            groupby=["status"],
            aggregates=["__count"],
        )
    }


class Timer:
    """Wall and CPU seconds of a block: this process's CPU time and that of
    its PostgreSQL backend (read from /proc: the database is local)."""

    def __init__(self, env):
        env.cr.execute("SELECT pg_backend_pid()")
        self.backend = Path(f"/proc/{env.cr.fetchone()[0]}/stat")

    def _backend_cpu(self):
        fields = self.backend.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        self.wall = time.perf_counter()
        self.cpu = time.process_time() + self._backend_cpu()
        return self

    def __exit__(self, *exc):
        self.wall_s = round(time.perf_counter() - self.wall, 2)
        self.cpu_s = round(time.process_time() + self._backend_cpu() - self.cpu, 2)


def _lessor(env):
    return env["res.partner"].search([("name", "=", "Bench Lessor AB")], limit=1)


def measure_csv(db, path):
    env = odoo_env(db)
    content = Path(path).read_bytes()
    with Timer(env) as timer:
        reconciliation = env["it.lease.reconciliation"]._import_specification(
            _lessor(env), MONTH, content, "spec.csv"
        )
        env.cr.commit()
    classes = _classes(env, reconciliation)
    # Out of the way of the e-invoice's, untimed.
    reconciliation.unlink()
    env.cr.commit()
    env.cr.close()
    print(
        json.dumps(
            {
                "floor_s": timer.wall_s,
                "cpu_s": timer.cpu_s,
                "classes": classes,
                "rss": peak_rss_mb(),
            }
        )
    )


def measure_einvoice(db, path, cold=False):
    env = odoo_env(db)
    from lxml import etree

    from odoo.addons.municipal_it_einvoice.tools.ubl import read_document

    content = Path(path).read_bytes()
    attachment = env["ir.attachment"].create(
        {"name": "faktura.xml", "raw": content, "mimetype": "application/xml"}
    )
    bill = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": _lessor(env).id,
            "it_einvoice_attachment_id": attachment.id,
        }
    )
    env.cr.commit()
    # Odoo's import has parsed the document (ir.attachment._decode_edi_xml,
    # Odoo's default parser) before the bill reaches the reconciliation.
    parsed = None if cold else (content, etree.fromstring(content))
    with Timer(env) as timer:
        reconciliation = bill._it_einvoice_reconcile(parsed)
        env.cr.commit()
    classes = _classes(env, reconciliation)
    rss = peak_rss_mb()
    parsed = None
    started = time.perf_counter()
    read_document(content, env, 2**31)
    read_s = time.perf_counter() - started
    # Out of the way of the next measure, untimed.
    bill.it_reconciliation_id = False
    reconciliation.unlink()
    bill.unlink()
    env.cr.commit()
    env.cr.close()
    print(
        json.dumps(
            {
                "einvoice_s": timer.wall_s,
                "cpu_s": timer.cpu_s,
                "read_s": round(read_s, 2),
                "classes": classes,
                "rss": rss,
            }
        )
    )


def install_einvoice(db):
    """The lease addon (from the CI template when there is one), then this
    addon on top of it."""
    install(db)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            f"--addons-path={addons_path()}",
            "-i",
            "municipal_it_einvoice",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--codes", type=int, default=500)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--phase", choices=["populate", "documents", "csv", "einvoice", "einvoice_cold"]
    )
    parser.add_argument("--db")
    parser.add_argument("--csv")
    parser.add_argument("--xml")
    args = parser.parse_args()

    if args.phase == "populate":
        populate(args.db, args.lines, args.codes)
        return
    if args.phase == "documents":
        write_documents(args.db, args.csv, args.xml)
        return
    if args.phase == "csv":
        measure_csv(args.db, args.csv)
        return
    if args.phase in ("einvoice", "einvoice_cold"):
        measure_einvoice(args.db, args.xml, cold=args.phase == "einvoice_cold")
        return

    db = args.db or f"mitl_bench_einvoice_{args.lines}_{os.getpid()}"
    folder = Path(tempfile.mkdtemp())
    csv_path, xml_path = folder / "specification.csv", folder / "faktura.xml"
    files = ("--csv", str(csv_path), "--xml", str(xml_path))
    try:
        started = time.perf_counter()
        install_einvoice(db)
        run_phase(
            __file__,
            "populate",
            db,
            "--lines",
            str(args.lines),
            "--codes",
            str(args.codes),
        )
        documents = run_phase(__file__, "documents", db, *files)
        print(f"set-up: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        floor = run_phase(__file__, "csv", db, *files)
        print(f"csv: {floor}", file=sys.stderr)
        measured = run_phase(__file__, "einvoice", db, *files)
        print(f"einvoice: {measured}", file=sys.stderr)
        cold = run_phase(__file__, "einvoice_cold", db, *files)
        print(f"einvoice cold: {cold}", file=sys.stderr)
    finally:
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", db], check=False)
        csv_path.unlink(missing_ok=True)
        xml_path.unlink(missing_ok=True)
        folder.rmdir()
    assert measured["classes"] == floor["classes"], (measured, floor)
    assert cold["classes"] == floor["classes"], (cold, floor)
    print(
        json.dumps(
            {
                "lines": args.lines,
                "einvoice_s": measured["einvoice_s"],
                "floor_s": floor["floor_s"],
                "ratio": vs_floor(measured["einvoice_s"], floor["floor_s"]),
                "cold_s": cold["einvoice_s"],
                "cold_ratio": vs_floor(cold["einvoice_s"], floor["floor_s"]),
                "einvoice_cpu_s": measured["cpu_s"],
                "cold_cpu_s": cold["cpu_s"],
                "floor_cpu_s": floor["cpu_s"],
                "cpu_ratio": vs_floor(measured["cpu_s"], floor["cpu_s"]),
                "cold_cpu_ratio": vs_floor(cold["cpu_s"], floor["cpu_s"]),
                "read_s": cold["read_s"],
                "einvoice_mb": round(documents["einvoice_mb"], 1),
                "peak_rss_mb": measured["rss"],
                "cold_peak_rss_mb": cold["rss"],
                "floor_peak_rss_mb": floor["rss"],
                "load": [round(value, 2) for value in os.getloadavg()],
                "classes": measured["classes"],
            }
        )
    )


if __name__ == "__main__":
    main()
