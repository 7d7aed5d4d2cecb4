#!/usr/bin/env python3
"""Many users at once on Odoo's multi-process server, while the monthly job
posts a month and a plan change applies.

    bench/load.py --devices N [--codes C] [--lessors L] [--users U]
                  [--seconds S] [--workers W] [--port P] [--think-ms T]
                  [--replica] [--no-jobs] [--keep-db] [--db DB --reuse-db]

Creates its own database (the lease, purchase and portal addons, N leased
devices over C activity codes, shared out among L lessors, each with a
portal user; ``--keep-db`` keeps it for ``--reuse-db``: every run measures a
copy of it), then times the monthly job alone (on another copy). Then starts
Odoo in workers mode as the production profile does (``--workers W``; cron
off: the job is started by this script at a known moment) and U simulated
users over HTTP. Once all are logged in (the logins are timed apart: each is
a password hash), each calls in a loop for S seconds with a think time of
about T ms between calls, doing what its role does through the web client's
JSON-RPC calls:

* IT staff (three users in four): device search by serial, the device list,
  grouped by activity code and by lease-end month, the lease-end list, a
  device form (bench/ui.py's calls), the charge analysis pivot and the list
  of IT orders to approve;
* a lessor (one user in four, the lessors in turn): its portal pages
  (devices, schedules).

After S/4 seconds the monthly job posts the month (in its own process, as a
cron worker would) and a plan change applies (``--no-jobs``: the users
alone, to find how many the server carries). ``--replica`` starts a
streaming replica of the database (pg_basebackup, a second cluster on port
5433) and runs Odoo with ``db_replica_host``/``db_replica_port``: read-only
requests go to it; the report says how many transactions each server ran.

Afterwards it checks that nothing was lost or doubled: one live posted entry
for the month, whose total equals the month's rents worked out here in
Python from the devices' rents and days (not from the addon's code).

The last line is one JSON object:
{"users": U, "calls": {class: {"n", "p50_ms", "p95_ms", "p99_ms"}}, "errors": …,
 "failures": {"class: error": count},
 "login_p50_ms": …, "login_max_ms": …,
 "slowest_class": …, "loadavg": {"before": [1, 5, 15 min], "after": […]},
 "throughput_per_s": …, "job_alone_s": …, "job_under_load_s": …,
 "job_vs_alone": …, "remap_under_load_s": …, "read_p95_ms": …,
 "read_p95_ms_during_jobs": …, "read_p95_ms_outside_jobs": …,
 "reads_during_jobs": …,
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
APPROVAL_DOMAIN = [
    ("it_is_it_order", "=", True),
    ("validation_status", "in", ("waiting", "pending")),
    ("state", "!=", "cancel"),
]
REPLICA_PORT = 5433


def setup(db, devices, codes, lessors):
    """The database: addons, register, its lessors, lease ends spread, a
    portal user for each lessor (each step in a process of its own)."""
    install(db, MODULES)
    phase("populate", db, "--devices", str(devices), "--codes", str(codes))
    phase("lessors", db, "--lessors", str(lessors))
    phase("spread", db)
    phase("portal", db)


def lessor_name(n):
    return "Bench Lessor AB" if n == 0 else f"Bench Lessor {n + 1} AB"


def portal_login(n):
    return PORTAL_LOGIN if n == 0 else f"{PORTAL_LOGIN}-{n + 1}"


def share_lessors(db, lessors):
    """Share the register out among ``lessors`` lessors: every schedule of
    the first lessor (benchlib's) gets a twin under an agreement of each
    other lessor, and the twin takes one device in ``lessors`` of it (as if
    each lessor had leased a third of every batch)."""
    env = odoo_env(db)

    first = env["res.partner"].search([("name", "=", lessor_name(0))], limit=1)
    schedules = env["it.lease.schedule"].search(
        [("lessor_id", "=", first.id)], order="id"
    )
    for n in range(1, lessors):
        lessor = env["res.partner"].create(
            {"name": lessor_name(n), "company_id": env.company.id}
        )
        agreement = env["it.lease.agreement"].create(
            {"name": f"BENCH-MA-{env.company.id}-{n + 1}", "lessor_id": lessor.id}
        )
        twins = env["it.lease.schedule"].create(
            [
                {
                    "name": f"{schedule.name}-L{n + 1}",
                    "agreement_id": agreement.id,
                    "date_start": schedule.date_start,
                    "term_months": schedule.term_months,
                }
                for schedule in schedules
            ]
        )
        twins.sudo().write({"state": "active"})
        env.flush_all()
        env.cr.execute(
            """
            UPDATE it_lease_line line
               SET schedule_id = pair.twin, lessor_id = %(lessor)s
              FROM (SELECT unnest(%(schedules)s::int[]) AS original,
                           unnest(%(twins)s::int[]) AS twin) AS pair
             WHERE line.schedule_id = pair.original
               AND line.equipment_id %% %(lessors)s = %(n)s
            """,
            {
                "lessor": lessor.id,
                "schedules": schedules.ids,
                "twins": twins.ids,
                "lessors": lessors,
                "n": n,
            },
        )
    # The schedules' stored figures computed from their lines, as the ORM
    # would leave them.
    env.invalidate_all()
    everything = env["it.lease.schedule"].search([])
    for name, field in everything._fields.items():
        if field.store and field.compute and name != "currency_id":
            env.add_to_compute(field, everything)
    env.flush_all()
    env.cr.execute("ANALYZE")
    env.cr.commit()
    env.cr.execute(
        "SELECT lessor_id, count(*) FROM it_lease_line GROUP BY 1 ORDER BY 1"
    )
    shares = [count for _lessor, count in env.cr.fetchall()]
    env.cr.close()
    print(json.dumps({"lessors": lessors, "devices_per_lessor": shares}))


def portal_user(db):
    env = odoo_env(db)
    lessors = env["res.partner"].search(
        [("name", "=like", "Bench Lessor%AB")], order="id"
    )
    env["res.users"].with_context(no_reset_password=True).create(
        [
            {
                "name": f"{lessor.name} Portal",
                "login": portal_login(n),
                "password": PORTAL_PASSWORD,
                "partner_id": lessor.id,
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
            for n, lessor in enumerate(lessors)
        ]
    )
    env.cr.commit()
    env.cr.close()
    print(json.dumps({"portal_users": len(lessors)}))


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


def ready(wait):
    """With ``wait``: say so once Odoo is loaded, then wait for the word to
    start (see StartedPhase)."""
    if wait:
        print("ready", flush=True)
        sys.stdin.readline()


def post_month(db, wait=False):
    """The monthly job's work for the month (create, compute, post), timed."""
    env = odoo_env(db)
    ready(wait)
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


def apply_remap(db, wait=False):
    """A plan change from the first of next month: the first code's devices
    move to the last code."""
    env = odoo_env(db)
    ready(wait)
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


class StartedPhase:
    """A step's process started ahead, Odoo imported and its registry
    loaded, as a cron worker of a running server has them: ``go()`` starts
    the step and returns its JSON line. (Loading Odoo costs seconds of CPU
    that a server already up does not spend when its job starts.)"""

    def __init__(self, name, db):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--phase", name, "--db", db, "--wait"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stdout:
            if line.strip() == "ready":
                return
        raise RuntimeError(f"the {name} step ended before it was ready")

    def go(self):
        output, _err = self.process.communicate("go\n")
        if self.process.returncode:
            raise subprocess.CalledProcessError(self.process.returncode, "phase")
        return json.loads(output.strip().splitlines()[-1])


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
    """A streaming replica of the cluster on REPLICA_PORT, fed through a
    replication slot of its own (the primary keeps the WAL the replica has
    not received: on a busy cluster the segments after the base backup are
    otherwise recycled before the replica asks for them); returns a stop
    function, which drops the slot."""
    allow_local_replication()
    slot = f"mitl_load_{os.getpid()}"
    data = Path(workdir) / "replica"
    data.mkdir()
    shutil.chown(data, "postgres", "postgres")
    data.chmod(0o700)
    as_postgres = ["su", "postgres", "-c"]
    subprocess.run(
        [*as_postgres, f"pg_basebackup -D {data} -R -X stream -C -S {slot} -c fast"],
        check=True,
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
        subprocess.run(
            [
                "psql",
                "-d",
                "postgres",
                "-Atc",
                f"SELECT pg_drop_replication_slot('{slot}')",
            ],
            check=False,
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


def user_loop(url, db, role, start, window, think_ms, results, lock):
    """One user: log in (timed apart), wait at ``start`` for every other user
    to be logged in, then call, record, think, until ``window["deadline"]``.
    ``role`` is "staff" or the login of a lessor's portal user."""
    started = time.perf_counter()
    error = None
    try:
        actions = _log_in(url, db, role)
    except Exception as failure:  # noqa: BLE001 - a failed login is an error too
        actions, error = [], failure
    with lock:
        results.append(
            ("login", (time.perf_counter() - started) * 1000, not error, 0, error)
        )
    start.wait()
    rng = random.Random(hash((role, threading.get_ident())))
    while actions and time.monotonic() < window["deadline"]:
        name, call = rng.choice(actions)
        at = time.monotonic()
        started = time.perf_counter()
        error = None
        try:
            call()
        except Exception as failure:  # noqa: BLE001 - every failure is counted
            error = failure
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            results.append((name, elapsed, not error, at, error))
        time.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)


def _log_in(url, db, role):
    """A logged-in session of ``role`` and the (name, call) of its work."""
    client = Client(url)
    if role != "staff":
        client.post(
            "/web/session/authenticate",
            {"db": db, "login": role, "password": PORTAL_PASSWORD},
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
        actions.append(("search serial", _search_serial(client, db)))
        actions.append(("pivot charge_line", _pivot(client)))
        actions.append(("approval list", _approval_list(client)))
    return actions


def _get(client, url):
    def call():
        with client.opener.open(url, timeout=300) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(response.status)

    return call


def _search_serial(client, db):
    """The device list searched by (part of) a serial number, as typed in
    the search box (its filter: ``serial_lookup ilike``, the serial's key),
    the list's first page."""
    serials = client.call_kw(
        "maintenance.equipment",
        "search_read",
        [[("serial_no", "!=", False)], ["serial_no"]],
        {"limit": 500, "order": "id desc"},
    )
    rng = random.Random(db)

    def call():
        serial = rng.choice(serials)["serial_no"]
        return client.call_kw(
            "maintenance.equipment",
            "web_search_read",
            [],
            {
                "domain": [("serial_lookup", "ilike", serial[-6:])],
                "specification": {"name": {}, "serial_no": {}, "lease_end_date": {}},
                "limit": 80,
                "count_limit": 10001,
            },
        )

    return call


def _approval_list(client):
    """The budget holder's list of IT orders to approve."""

    def call():
        return client.call_kw(
            "purchase.order",
            "web_search_read",
            [],
            {
                "domain": APPROVAL_DOMAIN,
                "specification": {
                    "name": {},
                    "partner_id": {"fields": {"display_name": {}}},
                    "amount_total": {},
                    "state": {},
                },
                "limit": 80,
                "count_limit": 10001,
            },
        )

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
    job_alone = job_under_load = remap_under_load = expected = None
    jobs_window = []
    if not args.no_jobs:
        # The job alone, on a copy of the database.
        alone_db = f"{db}_alone"
        subprocess.run(["createdb", "-T", db, alone_db], check=True)
        try:
            job_alone = phase("job", alone_db)["job_s"]
        finally:
            subprocess.run(["dropdb", "--if-exists", alone_db], check=False)
        expected = phase("expected", db)["expected"]
    load_before = [round(value, 2) for value in os.getloadavg()]
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
    started_phases = []
    try:
        wait_for(url)
        if not args.no_jobs:
            job = StartedPhase("job", db)
            remap = StartedPhase("remap", db)
            started_phases += [job.process, remap.process]
        # The clock starts once every user is logged in: a login costs a
        # password hash (PBKDF2, 600,000 rounds), timed apart as "login".
        window = {}
        start = threading.Barrier(
            args.users + 1,
            action=lambda: window.update(
                started=time.monotonic(), deadline=time.monotonic() + args.seconds
            ),
        )
        threads = [
            threading.Thread(
                target=user_loop,
                args=(
                    url,
                    db,
                    portal_login((n // 4) % args.lessors) if n % 4 == 3 else "staff",
                    start,
                    window,
                    args.think_ms,
                    results,
                    lock,
                ),
                daemon=True,
            )
            for n in range(args.users)
        ]
        for thread in threads:
            thread.start()
        start.wait()
        primary_before = transactions(db)
        replica_before = transactions(db, REPLICA_PORT) if args.replica else 0
        if not args.no_jobs:
            time.sleep(args.seconds / 4)
            jobs_window = [time.monotonic()]
            job_under_load = job.go()["job_s"]
            remap_under_load = remap.go()["remap_s"]
            jobs_window.append(time.monotonic())
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - window["started"]
        primary = transactions(db) - primary_before
        replica = (
            (transactions(db, REPLICA_PORT) - replica_before) if args.replica else 0
        )
        server_rss = server_rss_mb(server.pid)
        load_after = [round(value, 2) for value in os.getloadavg()]
    finally:
        for process in started_phases:
            if process.poll() is None:
                process.kill()
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # Its workers stop on their own once the master is gone.
            server.kill()
            server.wait()
        if stop_replica:
            stop_replica()
        shutil.rmtree(workdir, ignore_errors=True)
    logins = [ms for name, ms, *_rest in results if name == "login"]
    errors = sum(1 for _n, _ms, ok, *_rest in results if not ok)
    # What failed, by call class and first line of the error (counted).
    failures = {}
    for name, _ms, ok, _at, error in results:
        if not ok:
            first_line = next(iter(str(error).splitlines()), "")[:160]
            key = f"{name}: {type(error).__name__}: {first_line}"
            failures[key] = failures.get(key, 0) + 1
    results = [result[:4] for result in results if result[0] != "login"]
    by_class = {}
    for name, elapsed_ms, _ok, _at in results:
        by_class.setdefault(name, []).append(elapsed_ms)
    reads = [ms for _name, ms, ok, _at in results if ok]
    # The reads started while the monthly job or the plan change ran (their
    # processes take a core or more) and the others, apart.
    during = [
        ms
        for _name, ms, ok, at in results
        if ok and jobs_window and jobs_window[0] <= at <= jobs_window[1]
    ]
    outside = [
        ms
        for _name, ms, ok, at in results
        if ok and not (jobs_window and jobs_window[0] <= at <= jobs_window[1])
    ]
    by_class_report = {
        name: {
            "n": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
        }
        for name, values in sorted(by_class.items())
    }
    report = {
        "devices": args.devices,
        "codes": args.codes,
        "lessors": args.lessors,
        "users": args.users,
        "workers": args.workers,
        "seconds": args.seconds,
        "calls": by_class_report,
        "slowest_class": max(
            by_class_report,
            key=lambda name: by_class_report[name]["p95_ms"],
            default=None,
        ),
        "errors": errors,
        "failures": failures,
        "login_p50_ms": round(statistics.median(logins), 1),
        "login_max_ms": round(max(logins), 1),
        "throughput_per_s": round(len(results) / elapsed, 1),
        "read_p95_ms": round(percentile(reads, 0.95), 1) if reads else None,
        "read_p95_ms_during_jobs": (
            round(percentile(during, 0.95), 1) if during else None
        ),
        "read_p95_ms_outside_jobs": (
            round(percentile(outside, 0.95), 1) if outside else None
        ),
        "reads_during_jobs": len(during),
        "job_alone_s": job_alone,
        "job_under_load_s": job_under_load,
        "job_vs_alone": round(job_under_load / job_alone, 2) if job_alone else None,
        "remap_under_load_s": remap_under_load,
        "replica": {"primary_transactions": primary, "replica_transactions": replica}
        if args.replica
        else None,
        "server_peak_rss_mb": server_rss,
        "loadavg": {"before": load_before, "after": load_after},
        **(phase("check", db, "--expected", expected) if expected else {}),
        "peak_rss_mb": peak_rss_mb(),
    }
    print(json.dumps(report))
    if report["errors"] or (expected and not report["posted_ok"]):
        sys.exit("calls failed or the month was not posted exactly once")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--lessors", type=int, default=3)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8230)
    parser.add_argument("--think-ms", type=int, default=1000)
    parser.add_argument("--replica", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--no-jobs",
        action="store_true",
        help="the users alone: no monthly job or plan change (to find the limit)",
    )
    parser.add_argument(
        "--reuse-db", action="store_true", help="--db is set up already (--keep-db)"
    )
    parser.add_argument("--phase")
    parser.add_argument("--wait", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db")
    parser.add_argument("--expected")
    args = parser.parse_args()
    phases = {
        "populate": lambda: populate(args.db, args.devices, args.codes),
        "lessors": lambda: share_lessors(args.db, args.lessors),
        "spread": lambda: spread(args.db),
        "portal": lambda: portal_user(args.db),
        "expected": lambda: expected_month_total(args.db),
        "job": lambda: post_month(args.db, args.wait),
        "remap": lambda: apply_remap(args.db, args.wait),
        "check": lambda: check(args.db, args.expected),
    }
    if args.phase:
        return phases[args.phase]()
    db = args.db or f"mitl_bench_load_{os.getpid()}"
    try:
        started = time.perf_counter()
        if not args.reuse_db:
            setup(db, args.devices, args.codes, args.lessors)
        print(f"set-up: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        # Measured on a copy: the month it posts leaves the set-up database
        # as it was, for the next run (--keep-db, then --reuse-db).
        run_db = f"{db}_run"
        subprocess.run(["dropdb", "--if-exists", run_db], check=True)
        subprocess.run(["createdb", "-T", db, run_db], check=True)
        try:
            measure(run_db, args)
        finally:
            subprocess.run(["dropdb", "--if-exists", run_db], check=False)
    finally:
        if not args.keep_db:
            subprocess.run(["dropdb", "--if-exists", db], check=False)


if __name__ == "__main__":
    main()
