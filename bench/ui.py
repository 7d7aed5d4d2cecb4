#!/usr/bin/env python3
"""Benchmark the daily work of IT staff on a large register, through the
JSON-RPC calls the web client makes.

    bench/ui.py --devices N [--codes C] [--port P] [--repeat R] [--keep-db]

Creates its own database with N leased devices over C activity codes (lease
ends spread over the next two years, half the schedules near their notice
deadline), starts a real Odoo server on port P, logs in as the administrator
and times each call R times (after one warm-up call), reporting the median
in milliseconds:

* ``list``: the device list's first page (``web_search_read``, 80 rows, with
  the list view's fields, as the web client asks for them);
* ``count``: the record count the pager asks for (``search_count``);
* ``devices_end_90``: the device list filtered on *lease ends within 90
  days*;
* ``group_code`` / ``group_lease_end``: the list grouped by activity code and
  by lease-end month (``web_read_group``);
* ``lease_end_90``: the lease-end list (lease lines, undecided, grouped by
  schedule) filtered on the next 90 days, and its first group opened;
* ``form``: a device form (``web_read`` with the form view's fields,
  including the smart buttons' counts).

Then, in a fresh process, the lease-end warning job (``warning_job_s``,
rolled back), and ``EXPLAIN`` of every query the calls above ran on the
large tables: ``seq_scans`` lists those that read a large table with a
sequential scan (an empty list is the goal).

The last line printed is one JSON object:
{"devices": N, "ms": {call: median ms, …}, "max_ms": …, "warning_job_s": …,
 "warnings": …, "seq_scans": […], "server_peak_rss_mb": …,
 "peak_rss_mb": …}
"""

import argparse
import http.cookiejar
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date, timedelta

from benchlib import addons_path, odoo_env, peak_rss_mb, populate, run_benchmark

LARGE_TABLES = (
    "maintenance_equipment",
    "it_lease_line",
    "it_activity_code_assignment",
    "it_charge_line",
)


def spread(db):
    """Lease ends over the next two years (one device in eight within 90
    days), the register's stored lease fields filled in as the ORM would,
    and half the schedules 100 days before their notice deadline."""
    env = odoo_env(db)
    cr = env.cr
    cr.execute(
        """
        UPDATE it_lease_line
           SET date_end = CURRENT_DATE + (id % 730)
        """
    )
    cr.execute(
        """
        UPDATE maintenance_equipment equipment
           SET lease_line_id = line.id, lease_schedule_id = line.schedule_id,
               lessor_id = line.lessor_id, lease_end_date = line.date_end
          FROM it_lease_line line
         WHERE line.equipment_id = equipment.id
        """
    )
    schedules = env["it.lease.schedule"].search([], order="id")
    for schedule in schedules[::2]:
        target = date.today() + timedelta(days=100)
        schedule.notice_period_days = (schedule.date_end - target).days
    env.flush_all()
    cr.execute("ANALYZE")
    cr.commit()
    cr.close()
    print(json.dumps({"schedules": len(schedules)}))


class Client:
    """The web client's side of JSON-RPC: a session cookie and call_kw."""

    def __init__(self, url):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.calls = 0

    def post(self, path, params):
        self.calls += 1
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "params": params, "id": self.calls}
        ).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=300) as response:
            answer = json.loads(response.read())
        if answer.get("error"):
            raise RuntimeError(json.dumps(answer["error"])[:2000])
        return answer["result"]

    def call_kw(self, model, method, args, kwargs=None):
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


def specification(models, model, fields, depth=1):
    """The ``specification`` the web client sends for ``fields`` of
    ``model``, from the field descriptions of ``get_views``."""
    spec = {}
    descriptions = models.get(model, {}).get("fields", {})
    for name in fields:
        field = descriptions.get(name, {})
        kind = field.get("type")
        if kind == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif kind in ("one2many", "many2many"):
            sub = field.get("relation")
            if depth and sub in models:
                sub_fields = [f for f in models[sub]["fields"] if f != "id"]
                spec[name] = {
                    "fields": specification(models, sub, sub_fields, depth - 1)
                }
            else:
                spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def view_spec(client, model, view_type, view_id=False):
    views = client.call_kw(
        model,
        "get_views",
        [],
        {"views": [[view_id, view_type]], "options": {"load_filters": True}},
    )
    models = {name: value for name, value in views["models"].items()}
    fields = [name for name in models[model]["fields"] if name != "id"]
    return specification(models, model, fields)


def wait_for(url, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/web/login", timeout=10):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(1)
    raise SystemExit("the Odoo server did not answer")


def server_rss_mb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def calls(client, today):
    """(name, thunk) of each call, as the web client makes them."""
    equipment = "maintenance.equipment"
    list_spec = view_spec(
        client,
        equipment,
        "list",
        client.call_kw(
            "ir.model.data",
            "check_object_reference",
            ["municipal_it_lease", "maintenance_equipment_view_list_it"],
        )[1],
    )
    form_spec = view_spec(client, equipment, "form")
    line_spec = view_spec(
        client,
        "it.lease.line",
        "list",
        client.call_kw(
            "ir.model.data",
            "check_object_reference",
            ["municipal_it_lease", "it_lease_line_view_list_lease_end"],
        )[1],
    )
    context = {"lang": "en_US", "tz": "Europe/Stockholm", "bin_size": True}
    end_90 = [
        ("state", "in", ["active", "ended"]),
        ("end_decision", "=", False),
        ("date_end", ">=", today.isoformat()),
        ("date_end", "<=", (today + timedelta(days=90)).isoformat()),
    ]
    device_id = client.call_kw(
        equipment, "search", [[("serial_no", "!=", False)]], {"limit": 1}
    )[0]
    first_schedule = {}

    def lease_end_90():
        groups = client.call_kw(
            "it.lease.line",
            "web_read_group",
            [],
            {
                "domain": end_90,
                "fields": ["monthly_rent:sum"],
                "groupby": ["schedule_id"],
                "limit": 80,
                "lazy": True,
                "context": context,
            },
        )
        first = groups["groups"][0]["schedule_id"][0]
        first_schedule["id"] = first
        return client.call_kw(
            "it.lease.line",
            "web_search_read",
            [],
            {
                "domain": [*end_90, ("schedule_id", "=", first)],
                "specification": line_spec,
                "limit": 80,
                "order": "date_end",
                "context": context,
            },
        )

    def group(groupby):
        return lambda: client.call_kw(
            equipment,
            "web_read_group",
            [],
            {
                "domain": [],
                "fields": [],
                "groupby": [groupby],
                "limit": 80,
                "lazy": True,
                "context": context,
            },
        )

    return [
        (
            "list",
            lambda: client.call_kw(
                equipment,
                "web_search_read",
                [],
                {
                    "domain": [],
                    "specification": list_spec,
                    "offset": 0,
                    "limit": 80,
                    "order": "",
                    "count_limit": 10001,
                    "context": context,
                },
            ),
        ),
        (
            "count",
            lambda: client.call_kw(
                equipment, "search_count", [[]], {"context": context}
            ),
        ),
        (
            "devices_end_90",
            lambda: client.call_kw(
                equipment,
                "web_search_read",
                [],
                {
                    "domain": [
                        ("lease_end_date", ">=", today.isoformat()),
                        (
                            "lease_end_date",
                            "<=",
                            (today + timedelta(days=90)).isoformat(),
                        ),
                    ],
                    "specification": list_spec,
                    "offset": 0,
                    "limit": 80,
                    "order": "",
                    "count_limit": 10001,
                    "context": context,
                },
            ),
        ),
        ("group_code", group("activity_code_id")),
        ("group_lease_end", group("lease_end_date:month")),
        ("lease_end_90", lease_end_90),
        (
            "form",
            lambda: client.call_kw(
                equipment,
                "web_read",
                [[device_id]],
                {"specification": form_spec, "context": context},
            ),
        ),
    ]


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def measure(db, port, repeat):
    url = f"http://127.0.0.1:{port}"
    log = os.path.join(tempfile.mkdtemp(), "odoo.log")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            f"--addons-path={addons_path()}",
            f"--http-port={port}",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
            f"--logfile={log}",
        ]
    )
    try:
        wait_for(url)
        client = Client(url)
        client.post(
            "/web/session/authenticate",
            {"db": db, "login": "admin", "password": "admin"},
        )
        timings = {}
        for name, call in calls(client, date.today()):
            call()  # warm-up, as a user's second visit
            runs = []
            for _n in range(repeat):
                started = time.perf_counter()
                call()
                runs.append((time.perf_counter() - started) * 1000)
            timings[name] = round(statistics.median(runs), 1)
        server_rss = server_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
        os.unlink(log) if os.path.exists(log) else None
    print(json.dumps({"ms": timings, "server_peak_rss_mb": server_rss}))


def explain(db):
    """Run the same calls in this process, record the queries on the large
    tables, EXPLAIN each and list those with a sequential scan on one; then
    time the lease-end warning job (rolled back)."""
    from odoo.sql_db import Cursor

    env = odoo_env(db)
    today = date.today()
    queries = []
    original = Cursor.execute

    def recording(cursor, query, params=None, log_exceptions=True):
        text = query.code if hasattr(query, "code") else query
        args = query.params if hasattr(query, "params") else params
        if (
            isinstance(text, str)
            and text.lstrip().upper().startswith("SELECT")
            and any(table in text for table in LARGE_TABLES)
        ):
            queries.append((text, args))
        return original(cursor, query, params, log_exceptions)

    Equipment = env["maintenance.equipment"]
    end_90 = [
        ("state", "in", ["active", "ended"]),
        ("end_decision", "=", False),
        ("date_end", ">=", today),
        ("date_end", "<=", today + timedelta(days=90)),
    ]
    Cursor.execute = recording
    try:
        Equipment.web_search_read(
            [],
            {"name": {}, "serial_no": {}, "activity_code_id": {}, "lease_end_date": {}},
            limit=80,
            count_limit=10001,
        )
        Equipment.search_count([])
        Equipment.web_search_read(
            [
                ("lease_end_date", ">=", today),
                ("lease_end_date", "<=", today + timedelta(days=90)),
            ],
            {"name": {}, "lease_end_date": {}},
            limit=80,
            count_limit=10001,
        )
        Equipment.web_read_group([], [], ["activity_code_id"], limit=80)
        Equipment.web_read_group([], [], ["lease_end_date:month"], limit=80)
        env["it.lease.line"].web_read_group(end_90, [], ["schedule_id"], limit=80)
        env["it.lease.line"].web_search_read(end_90, {"date_end": {}}, limit=80)
        device = Equipment.search([], limit=1)
        device.web_read(
            {
                "maintenance_open_count": {},
                "activity_code_history_ids": {"fields": {"date_from": {}}},
                "lease_line_ids": {"fields": {"date_end": {}}},
            }
        )
    finally:
        Cursor.execute = original
    seq_scans = []
    seen = set()
    for text, args in queries:
        if text in seen:
            continue
        seen.add(text)
        env.cr.execute(f"EXPLAIN (FORMAT JSON) {text}", args)
        for node in plan_nodes(env.cr.fetchone()[0][0]["Plan"]):
            table = node.get("Relation Name")
            if node["Node Type"] != "Seq Scan" or table not in LARGE_TABLES:
                continue
            env.cr.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            rows = max(env.cr.fetchone()[0], 1)
            seq_scans.append(
                {
                    "table": table,
                    # A scan keeping a small part of the table could use an
                    # index; one reading it all (a count, a grouping of every
                    # device) cannot avoid reading it all.
                    "selective": bool(node.get("Filter"))
                    and node["Plan Rows"] < 0.2 * rows,
                    "rows": node["Plan Rows"],
                    "filter": node.get("Filter"),
                    "query": " ".join(text.split())[:200],
                }
            )
    started = time.perf_counter()
    warnings = env["it.lease.schedule"]._cron_lease_end_warnings()
    env.flush_all()
    warning_job_s = time.perf_counter() - started
    count = len(warnings)
    env.cr.rollback()
    env.cr.close()
    print(
        json.dumps(
            {
                "warning_job_s": round(warning_job_s, 2),
                "warnings": count,
                "queries": len(seen),
                "seq_scans": seq_scans,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--port", type=int, default=8206)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--phase", choices=["populate", "spread", "measure", "baseline"]
    )
    parser.add_argument("--db")
    args = parser.parse_args()

    phases = {
        "populate": lambda: populate(args.db, args.devices, args.codes),
        "spread": lambda: spread(args.db),
        "measure": lambda: measure(args.db, args.port, args.repeat),
        # The "baseline" phase of this benchmark is the EXPLAIN and the job.
        "baseline": lambda: explain(args.db),
    }
    if args.phase:
        phases[args.phase]()
        return

    db = args.db or f"mitl_bench_ui_{args.devices}_{os.getpid()}"
    size = ["--devices", str(args.devices), "--codes", str(args.codes)]
    measured, checked = run_benchmark(
        __file__,
        db,
        [("populate", *size), ("spread",)],
        measure_args=("--port", str(args.port), "--repeat", str(args.repeat)),
        baseline=True,
        keep_db=args.keep_db,
    )
    result = {
        "devices": args.devices,
        "ms": measured["ms"],
        "max_ms": max(measured["ms"].values()),
        "warning_job_s": checked["warning_job_s"],
        "warnings": checked["warnings"],
        "queries_explained": checked["queries"],
        "seq_scans": checked["seq_scans"],
        "selective_seq_scans": sum(scan["selective"] for scan in checked["seq_scans"]),
        "server_peak_rss_mb": measured["server_peak_rss_mb"],
        "peak_rss_mb": checked["peak_rss_mb"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
