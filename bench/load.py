#!/usr/bin/env python3
"""Many users at once on Odoo's multi-process server, while the monthly job
posts a month and a plan change applies.

    bench/load.py --devices N [--codes C] [--users U] [--seconds S]
                  [--workers W] [--port P] [--think-ms T] [--replica]

Creates its own database (the lease, purchase and portal addons, N leased
devices over C activity codes, one lessor with a portal user), then times
the monthly job alone (on a copy of the database). Then starts Odoo in
workers mode as the production profile does (``--workers W``; cron off: the
job is started by this script at a known moment) and U simulated users over
HTTP, each in a loop for S seconds with a think time of about T ms between
calls, doing what their role does through the web client's JSON-RPC calls:

* IT staff (three users in four): device search by serial, the device list,
  grouped by activity code and by lease-end month, the lease-end list, a
  device form (bench/ui.py's calls), and the charge analysis pivot;
* the lessor (one user in four): its portal pages (devices, schedules).

After S/4 seconds the monthly job posts the month (in its own process, as a
cron worker would) and a plan change applies. ``--replica`` starts a
streaming replica of the database (pg_basebackup, a second cluster on port
5433) and runs Odoo with ``db_replica_host``/``db_replica_port``: read-only
requests go to it; the report says how many transactions each server ran.

Afterwards it checks that nothing was lost or doubled: one live posted entry
for the month, whose total equals the month's rents worked out here in
Python from the devices' rents and days (not from the addon's code).

The last line is one JSON object:
{"users": U, "calls": {class: {"n", "p50_ms", "p95_ms", "p99_ms"}}, "errors": …,
 "throughput_per_s": …, "job_alone_s": …, "job_under_load_s": …,
 "job_vs_alone": …, "remap_under_load_s": …, "read_p95_ms": …,
 "posted_ok": true, "replica": {…} or null, "server_peak_rss_mb": …,
 "peak_rss_mb": …}
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from benchlib import MONTH, addons_path, install, odoo_env, peak_rss_mb, populate
from ui import Client, calls, server_rss_mb, spread, wait_for

MODULES = "municipal_it_lease,municipal_it_purchase,municipal_it_portal"
PORTAL_LOGIN, PORTAL_PASSWORD = "bench-lessor", "bench-lessor-pw-2026"
REPLICA_PORT = 5433


def setup(db, devices, codes):
    """The database: addons, register, lease ends spread, a portal user for
    the lessor (each step in a process of its own)."""
    install(db, MODULES)
    phase("populate", db, "--devices", str(devices), "--codes", str(codes))
    phase("spread", db)
    phase("portal", db)


def portal_user(db):
    env = odoo_env(db)
    lessor = env["res.partner"].search([("name", "=", "Bench Lessor AB")], limit=1)
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "name": "Bench Lessor Portal",
            "login": PORTAL_LOGIN,
            "password": PORTAL_PASSWORD,
            "partner_id": lessor.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        }
    )
    env.cr.commit()
    env.cr.close()
    print(json.dumps({"portal_user": PORTAL_LOGIN}))


def expected_month_total(db):
    """The month's rents as worked out by hand: each device's monthly rent x
    its days in the month / the month's days, rounded half up to öre."""
    env = odoo_env(db)
    env.cr.execute(
        "SELECT monthly_rent, date_start FROM it_lease_line WHERE state = 'active'"
    )
    days_in_month = 31  # March
    total = Decimal(0)
    for rent, start in env.cr.fetchall():
        first = max(start, MONTH)
        days = days_in_month - first.day + 1
        amount = Decimal(str(rent)) * days / days_in_month
        total += amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    env.cr.close()
    print(json.dumps({"expected": str(total)}))


def post_month(db):
    """The monthly job's work for the month (create, compute, post), timed."""
    env = odoo_env(db)
    started = time.perf_counter()
    run = env["it.charge.run"].create(
        {"company_id": env.company.id, "date_from": MONTH}
    )
    run.action_compute()
    run.action_post()
    env.cr.commit()
    seconds = time.perf_counter() - started
    env.cr.close()
    print(json.dumps({"job_s": round(seconds, 2)}))


def apply_remap(db):
    """A plan change from the first of next month: the first code's devices
    move to the last code."""
    env = odoo_env(db)
    codes = env["account.analytic.account"].search(
        [("plan_id", "=", env.company.it_activity_code_plan_id.id)], order="code"
    )
    started = time.perf_counter()
    remap = env["it.activity.code.remap"].create(
        {
            "effective_date": date(MONTH.year, MONTH.month + 1, 1),
            "line_ids": [
                (0, 0, {"old_code_id": codes[0].id, "new_code_id": codes[-2].id})
            ],
        }
    )
    remap.action_apply()
    env.cr.commit()
    seconds = time.perf_counter() - started
    env.cr.close()
    print(json.dumps({"remap_s": round(seconds, 2)}))


def check(db, expected):
    """Nothing lost or doubled: the month's live entries and their total."""
    env = odoo_env(db)
    moves = env["account.move"].search(
        [
            ("it_charge_run_id.date_from", "=", MONTH),
            ("state", "=", "posted"),
            ("reversal_move_ids", "=", False),
        ]
    )
    total = sum(Decimal(str(move.amount_total)) for move in moves)
    env.cr.close()
    result = {
        "live_entries": len(moves),
        "posted_total": str(total),
        "expected_total": str(expected),
        "posted_ok": len(moves) == 1 and total == Decimal(expected),
    }
    print(json.dumps(result))


def phase(name, db, *extra):
    """Run one step in a fresh process (Odoo's configuration is parsed once
    per process); its last line is JSON."""
    output = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--db", db, *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return json.loads(output.splitlines()[-1]) if output else {}


def allow_local_replication():
    """Let the local socket make replication connections (pg_basebackup,
    the replica's stream): the cluster's pg_hba.conf gains one trust line
    for them, as on a development machine whose local connections are
    trusted already."""
    query = ["psql", "-d", "postgres", "-Atc"]
    hba = Path(subprocess.check_output([*query, "SHOW hba_file"], text=True).strip())
    lines = hba.read_text().splitlines()
    if not any(line.split()[:2] == ["local", "replication"] for line in lines if line):
        hba.write_text("local replication all trust\n" + "\n".join(lines) + "\n")
        subprocess.run([*query, "SELECT pg_reload_conf()"], check=True)


def start_replica(db, workdir):
    """A streaming replica of the cluster on REPLICA_PORT; returns a stop
    function."""
    allow_local_replication()
    data = Path(workdir) / "replica"
    data.mkdir()
    shutil.chown(data, "postgres", "postgres")
    data.chmod(0o700)
    as_postgres = ["su", "postgres", "-c"]
    subprocess.run(
        [*as_postgres, f"pg_basebackup -D {data} -R -X stream -c fast"], check=True
    )
    (data / "postgresql.conf").write_text(
        f"port = {REPLICA_PORT}\nhot_standby = on\nunix_socket_directories = '/tmp'\n"
        "listen_addresses = '127.0.0.1'\n"
        # A throw-away copy: no fsync of the copied cluster at start.
        "fsync = off\nrecovery_init_sync_method = syncfs\n"
    )
    (data / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\n"
    )
    for name in ("postgresql.conf", "pg_hba.conf"):
        shutil.chown(data / name, "postgres", "postgres")
    bindir = subprocess.check_output(["pg_config", "--bindir"], text=True).strip()
    pg_ctl = f"{bindir}/pg_ctl"
    if not os.path.exists(pg_ctl):
        version = max(os.listdir("/usr/lib/postgresql"))
        pg_ctl = f"/usr/lib/postgresql/{version}/bin/pg_ctl"
    subprocess.run(
        [*as_postgres, f"{pg_ctl} -D {data} -l {data}/log -w -t 600 start"], check=True
    )

    def stop():
        subprocess.run(
            [*as_postgres, f"{pg_ctl} -D {data} -m fast -w stop"], check=False
        )

    return stop


def transactions(db, port=None):
    args = ["psql", "-d", db, "-Atc"]
    if port:
        args = ["psql", "-h", "127.0.0.1", "-p", str(port), "-d", db, "-Atc"]
    query = (
        "SELECT xact_commit + xact_rollback FROM pg_stat_database "
        f"WHERE datname = '{db}'"
    )
    return int(subprocess.check_output([*args, query], text=True).strip() or 0)


def user_loop(url, db, role, deadline, think_ms, results, lock):
    """One user: log in, then call, record, think, until ``deadline``."""
    client = Client(url)
    if role == "lessor":
        client.post(
            "/web/session/authenticate",
            {"db": db, "login": PORTAL_LOGIN, "password": PORTAL_PASSWORD},
        )
        pages = ["/my/leasing/devices", "/my/leasing/schedules"]
        actions = [
            (f"portal {page.rsplit('/', 1)[-1]}", _get(client, url + page))
            for page in pages
        ]
    else:
        client.post(
            "/web/session/authenticate",
            {"db": db, "login": "admin", "password": "admin"},
        )
        actions = [(name, call) for name, call in calls(client, date.today())]
        actions.append(("pivot charge_line", _pivot(client)))
    rng = random.Random(hash((role, threading.get_ident())))
    while time.monotonic() < deadline:
        name, call = rng.choice(actions)
        started = time.perf_counter()
        try:
            call()
            ok = True
        except Exception:  # noqa: BLE001 - every failure is counted
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            results.append((name, elapsed, ok))
        time.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)


def _get(client, url):
    def call():
        with client.opener.open(url, timeout=300) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(response.status)

    return call


def _pivot(client):
    def call():
        return client.call_kw(
            "it.charge.line",
            "read_group",
            [[], ["amount:sum"], ["activity_code_id"]],
            {"lazy": False},
        )

    return call


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(db, args):
    workdir = tempfile.mkdtemp(prefix="mitl-load-")
    os.chmod(workdir, 0o755)  # the replica's cluster runs as postgres
    # The job alone, on a copy of the database.
    alone_db = f"{db}_alone"
    subprocess.run(["createdb", "-T", db, alone_db], check=True)
    try:
        job_alone = phase("job", alone_db)["job_s"]
    finally:
        subprocess.run(["dropdb", "--if-exists", alone_db], check=False)
    expected = phase("expected", db)["expected"]
    stop_replica = start_replica(db, workdir) if args.replica else None
    url = f"http://127.0.0.1:{args.port}"
    # The ``odoo`` script, not ``python3 -m odoo``: a worker server re-executes
    # itself on some signals, which ``-m`` does not survive.
    odoo = shutil.which("odoo") or os.path.join(os.path.dirname(sys.executable), "odoo")
    command = [
        odoo,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        f"--addons-path={addons_path()}",
        f"--http-port={args.port}",
        f"--gevent-port={args.port + 1}",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--limit-time-real=1200",
        "--limit-time-cpu=600",
        "--limit-memory-soft=4294967296",
        "--limit-memory-hard=5368709120",
        "--log-level=warn",
        f"--logfile={workdir}/odoo.log",
    ]
    if args.replica:
        command += ["--db_replica_host=127.0.0.1", f"--db_replica_port={REPLICA_PORT}"]
    server = subprocess.Popen(command)
    results, lock = [], threading.Lock()
    try:
        wait_for(url)
        primary_before = transactions(db)
        replica_before = transactions(db, REPLICA_PORT) if args.replica else 0
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=user_loop,
                args=(
                    url,
                    db,
                    "lessor" if n % 4 == 3 else "staff",
                    deadline,
                    args.think_ms,
                    results,
                    lock,
                ),
                daemon=True,
            )
            for n in range(args.users)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 4)
        job_under_load = phase("job", db)["job_s"]
        remap_under_load = phase("remap", db)["remap_s"]
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        primary = transactions(db) - primary_before
        replica = (
            (transactions(db, REPLICA_PORT) - replica_before) if args.replica else 0
        )
        server_rss = server_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
        if stop_replica:
            stop_replica()
        shutil.rmtree(workdir, ignore_errors=True)
    by_class = {}
    for name, elapsed_ms, _ok in results:
        by_class.setdefault(name, []).append(elapsed_ms)
    reads = [ms for name, ms, ok in results if ok]
    report = {
        "devices": args.devices,
        "users": args.users,
        "workers": args.workers,
        "seconds": args.seconds,
        "calls": {
            name: {
                "n": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "p99_ms": round(percentile(values, 0.99), 1),
            }
            for name, values in sorted(by_class.items())
        },
        "errors": sum(1 for _n, _ms, ok in results if not ok),
        "throughput_per_s": round(len(results) / elapsed, 1),
        "read_p95_ms": round(percentile(reads, 0.95), 1) if reads else None,
        "job_alone_s": job_alone,
        "job_under_load_s": job_under_load,
        "job_vs_alone": round(job_under_load / job_alone, 2),
        "remap_under_load_s": remap_under_load,
        "replica": {"primary_transactions": primary, "replica_transactions": replica}
        if args.replica
        else None,
        "server_peak_rss_mb": server_rss,
        **phase("check", db, "--expected", expected),
        "peak_rss_mb": peak_rss_mb(),
    }
    print(json.dumps(report))
    if report["errors"] or not report["posted_ok"]:
        sys.exit("calls failed or the month was not posted exactly once")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8230)
    parser.add_argument("--think-ms", type=int, default=1000)
    parser.add_argument("--replica", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--reuse-db", action="store_true", help="--db is set up already (--keep-db)"
    )
    parser.add_argument("--phase")
    parser.add_argument("--db")
    parser.add_argument("--expected")
    args = parser.parse_args()
    phases = {
        "populate": lambda: populate(args.db, args.devices, args.codes),
        "spread": lambda: spread(args.db),
        "portal": lambda: portal_user(args.db),
        "expected": lambda: expected_month_total(args.db),
        "job": lambda: post_month(args.db),
        "remap": lambda: apply_remap(args.db),
        "check": lambda: check(args.db, args.expected),
    }
    if args.phase:
        return phases[args.phase]()
    db = args.db or f"mitl_bench_load_{os.getpid()}"
    try:
        started = time.perf_counter()
        if not args.reuse_db:
            setup(db, args.devices, args.codes)
        print(f"set-up: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        measure(db, args)
    finally:
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", db], check=False)


if __name__ == "__main__":
    main()
