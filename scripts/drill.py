#!/usr/bin/env python3
# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Restore and upgrade drills: what an operator checks before going live.

    drill.py restore --db DB --data-dir DIR    dump DB (pg_dump -Fc) and its
        filestore, restore both into a new database and a new data directory,
        and check the facts below on the copy, then run the monthly job on it.
    drill.py upgrade --from REV                install the addons as they were
        at git revision REV (with demo data), post a month, apply a plan change,
        then upgrade to the working tree's addons (-u) and check the facts.
    drill.py facts --db DB --data-dir DIR      print the facts as JSON.

The facts, equal before and after: every crate's custody events (sequence and
SHA-256) and its chain verifying; every stored file (ir.attachment in the
filestore) matching its checksum, and every wipe report its SHA-256; every
posted month's entry (company, month, amount, state), one live entry per
company and month. Then the monthly job posts the next month on the copy.
Each command prints one JSON line with what it measured.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(
    path.parent.name for path in (REPO / "addons").glob("*/__manifest__.py")
)


def odoo_addons_path(addons_dir=REPO / "addons"):
    script = (
        "from odoo.tools import config; config.parse_config([]); "
        "print(config['addons_path'])"
    )
    default = subprocess.check_output([sys.executable, "-c", script], text=True)
    return f"{default.strip()},{addons_dir}"


def run_odoo(db, data_dir, addons_path, *args):
    """Run ``python3 -m odoo`` to completion; raise with its log tail on failure."""
    command = [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        db,
        f"--addons-path={addons_path}",
        f"--data-dir={data_dir}",
        "--stop-after-init",
        "--log-level=warn",
        "--max-cron-threads=0",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or "Traceback" in result.stderr:
        raise SystemExit(
            f"odoo {' '.join(args)} failed on {db}:\n{result.stderr[-6000:]}"
        )


def in_odoo(db, data_dir, addons_path, code, *argv):
    """Run ``code`` (a function's source named ``main(env, *argv)``) inside
    Odoo on ``db`` in a fresh process, commit, and return its JSON result."""
    runner = f"""
import json, sys
import odoo
from odoo.tools import config
config.parse_config(["-d", {db!r}, "--addons-path", {addons_path!r},
                     "--data-dir", {str(data_dir)!r}])
{code}
registry = odoo.modules.registry.Registry({db!r})
with registry.cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {{"lang": "en_US"}})
    result = main(env, *sys.argv[1:])
    cr.commit()
print("DRILL-RESULT " + json.dumps(result, sort_keys=True, default=str))
"""
    result = subprocess.run(
        [sys.executable, "-c", runner, *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("DRILL-RESULT "):
            return json.loads(line[len("DRILL-RESULT ") :])
    raise SystemExit(f"drill step failed on {db}:\n{result.stderr[-6000:]}")


# Inside Odoo: the facts, and the steps that make them.
FACTS = """
import hashlib

def main(env):
    facts = {"crates": {}, "broken_chains": [], "files": [], "bad_files": [],
             "bad_wipe_reports": [], "months": {}, "live_entries": {}}
    Batch = env["it.disposal.batch"].with_context(active_test=False)
    for batch in Batch.search([], order="id"):
        facts["crates"][batch.name] = [
            [event.sequence, event.hash] for event in batch.event_ids.sorted("sequence")
        ]
        if not batch.chain_intact:
            facts["broken_chains"].append(batch.name)
    Attachment = env["ir.attachment"].with_context(active_test=False)
    for attachment in Attachment.search([("store_fname", "!=", False)]):
        if not attachment.url:  # not a web asset (rebuilt by an upgrade)
            facts["files"].append(attachment.checksum)
        raw = attachment.raw or b""
        if hashlib.sha1(raw).hexdigest() != attachment.checksum:
            facts["bad_files"].append(attachment.store_fname)
    for report in env["it.wipe.report"].search([("attachment_id", "!=", False)]):
        raw = report.attachment_id.raw or b""
        if hashlib.sha256(raw).hexdigest() != report.sha256:
            facts["bad_wipe_reports"].append(report.name)
    runs = env["it.charge.run"].search([("state", "=", "posted")], order="date_from")
    for run in runs:
        key = f"{run.company_id.name} {run.date_from:%Y-%m}"
        facts["months"][key] = [str(run.move_id.amount_total), run.move_id.state]
    moves = env["account.move"].search([("it_charge_run_id", "!=", False),
                                        ("state", "=", "posted"),
                                        ("reversal_move_ids", "=", False),
                                        ("reversed_entry_id", "=", False)])
    for move in moves:
        run = move.it_charge_run_id
        key = f"{run.company_id.name} {run.date_from:%Y-%m}"
        facts["live_entries"][key] = facts["live_entries"].get(key, 0) + 1
    return facts
"""

POST_MONTH = """
import datetime

def main(env, month):
    month = datetime.date.fromisoformat(month)
    run = env["it.charge.run"].create({"company_id": env.company.id, "date_from": month})
    run.action_compute()
    run.action_post()
    return {"run": run.name, "state": run.state, "amount": str(run.move_id.amount_total)}
"""

PLAN_CHANGE = """
import datetime

def main(env, effective):
    Equipment = env["maintenance.equipment"]
    held = Equipment.search([("activity_code_id", "!=", False)]).activity_code_id
    codes = held.sorted("code")
    old, new = codes[0], codes[-1]
    remap = env["it.activity.code.remap"].create({
        "effective_date": datetime.date.fromisoformat(effective),
        "line_ids": [(0, 0, {"old_code_id": old.id, "new_code_id": new.id})],
    })
    remap.action_apply()
    return {"remap": remap.name, "state": remap.state, "moved": remap.moved_device_count}
"""

MONTHLY_JOB = """
def main(env):
    Run = env["it.charge.run"]
    before = Run.search_count([("state", "=", "posted")])
    # The job charges on the company's charge day (the 25th by default): on
    # the drill's database it is due today, whatever today is.
    env.company.it_charge_day = 1
    env.ref("municipal_it_lease.ir_cron_it_charge_month").method_direct_trigger()
    failed = Run.search([("state", "=", "draft")]).mapped("message_ids.body")
    return {"posted_before": before,
            "posted_after": Run.search_count([("state", "=", "posted")]),
            "draft_messages": [str(body)[:300] for body in failed[:3]]}
"""


def month_start(months_back):
    today = time.localtime()
    year, month = today.tm_year, today.tm_mon - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}-01"


def facts(db, data_dir, addons_path):
    return in_odoo(db, data_dir, addons_path, FACTS)


def check_facts(before, after):
    """The problems found comparing the facts after to those before."""
    problems = []
    for key in ("crates", "months", "live_entries"):
        if before[key] != after[key]:
            problems.append(f"{key} changed")
    for key in ("broken_chains", "bad_files", "bad_wipe_reports"):
        if after[key]:
            problems.append(f"{key}: {after[key][:5]}")
    if any(count != 1 for count in after["live_entries"].values()):
        problems.append(f"not one live entry per month: {after['live_entries']}")
    lost = set(before["files"]) - set(after["files"])
    if lost:
        problems.append(f"files lost: {sorted(lost)[:5]}")
    return problems


def monthly_job(db, data_dir, addons_path):
    """Run the monthly job (its scheduled action): it must post one month."""
    result = in_odoo(db, data_dir, addons_path, MONTHLY_JOB)
    if result["posted_after"] != result["posted_before"] + 1:
        raise SystemExit(f"the monthly job did not post on {db}: {result}")
    return result


def prepare(db, data_dir, addons_path):
    """A posted month (two months back) and an applied plan change."""
    posted = in_odoo(db, data_dir, addons_path, POST_MONTH, month_start(2))
    remap = in_odoo(db, data_dir, addons_path, PLAN_CHANGE, month_start(1))
    return {"posted": posted, "plan_change": remap}


def filestore(data_dir, db):
    return Path(data_dir) / "filestore" / db


def restore(db, data_dir, addons_path, work):
    """Dump ``db`` and its filestore, restore them as a new database in a new
    data directory; return the new names and the timings."""
    work = Path(work)
    dump = work / f"{db}.dump"
    new_db, new_data = f"{db}_restored", work / "restored_data"
    started = time.monotonic()
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), db], check=True)
    archive = shutil.make_archive(
        str(work / f"{db}-filestore"), "gztar", filestore(data_dir, db)
    )
    backup_s = time.monotonic() - started
    started = time.monotonic()
    subprocess.run(["dropdb", "--if-exists", new_db], check=True)
    subprocess.run(["createdb", new_db], check=True)
    subprocess.run(
        ["pg_restore", "--no-owner", "-d", new_db, str(dump)],
        check=True,
    )
    target = filestore(new_data, new_db)
    target.mkdir(parents=True)
    shutil.unpack_archive(archive, target)
    restore_s = time.monotonic() - started
    return (
        new_db,
        new_data,
        {
            "backup_s": round(backup_s, 2),
            "restore_s": round(restore_s, 2),
            "dump_mb": round(dump.stat().st_size / 2**20, 2),
            "filestore_mb": round(Path(archive).stat().st_size / 2**20, 2),
        },
    )


def cmd_restore(args):
    addons_path = args.addons_path or odoo_addons_path()
    work = Path(tempfile.mkdtemp(prefix="drill-restore-"))
    before = facts(args.db, args.data_dir, addons_path)
    new_db, new_data, timings = restore(args.db, args.data_dir, addons_path, work)
    try:
        after = facts(new_db, new_data, addons_path)
        problems = check_facts(before, after)
        job = None if problems else monthly_job(new_db, new_data, addons_path)
    finally:
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", new_db], check=False)
            shutil.rmtree(work, ignore_errors=True)
    report = {
        "drill": "restore",
        "db": args.db,
        "crates": len(before["crates"]),
        "files": len(before["files"]),
        "posted_months": len(before["months"]),
        **timings,
        "monthly_job": job,
        "problems": problems,
    }
    print(json.dumps(report, sort_keys=True))
    return 1 if problems else 0


def cmd_upgrade(args):
    work = Path(tempfile.mkdtemp(prefix="drill-upgrade-"))
    old_addons = work / "old" / "addons"
    old_addons.parent.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", args.rev, "addons"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(
        ["tar", "-x", "-C", str(old_addons.parent)], input=archive, check=True
    )
    old_modules = sorted(p.parent.name for p in old_addons.glob("*/__manifest__.py"))
    new_modules = [name for name in ADDONS if name not in old_modules]
    db = args.db or f"mitl_drill_{os.getpid()}"
    data_dir = work / "data"
    old_path, new_path = odoo_addons_path(old_addons), odoo_addons_path()
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    try:
        started = time.monotonic()
        run_odoo(db, data_dir, old_path, "-i", ",".join(old_modules))
        install_s = time.monotonic() - started
        made = prepare(db, data_dir, old_path)
        before = facts(db, data_dir, old_path)
        started = time.monotonic()
        run_odoo(db, data_dir, new_path, "-u", ",".join(old_modules))
        if new_modules:
            run_odoo(db, data_dir, new_path, "-i", ",".join(new_modules))
        upgrade_s = time.monotonic() - started
        after = facts(db, data_dir, new_path)
        problems = check_facts(before, after)
        if not problems and args.restore:
            # Before the job, so that the copy has a month to post too.
            args_restore = argparse.Namespace(
                db=db, data_dir=data_dir, addons_path=new_path, keep=False
            )
            if cmd_restore(args_restore):
                problems.append("the restore drill after the upgrade failed")
        job = None if problems else monthly_job(db, data_dir, new_path)
    finally:
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", db], check=False)
            shutil.rmtree(work, ignore_errors=True)
    report = {
        "drill": "upgrade",
        "from": args.rev,
        "modules_upgraded": len(old_modules),
        "modules_installed": new_modules,
        "install_old_s": round(install_s, 2),
        "upgrade_s": round(upgrade_s, 2),
        "made": made,
        "crates": len(before["crates"]),
        "posted_months": len(before["months"]),
        "monthly_job": job,
        "problems": problems,
    }
    print(json.dumps(report, sort_keys=True))
    return 1 if problems else 0


def cmd_facts(args):
    addons_path = args.addons_path or odoo_addons_path()
    print(json.dumps(facts(args.db, args.data_dir, addons_path), sort_keys=True))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("restore", "facts"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--db", required=True)
        cmd.add_argument("--data-dir", required=True)
        cmd.add_argument("--addons-path")
        cmd.add_argument("--keep", action="store_true")
    upgrade = sub.add_parser("upgrade")
    upgrade.add_argument("--from", dest="rev", required=True)
    upgrade.add_argument("--db")
    upgrade.add_argument("--keep", action="store_true")
    upgrade.add_argument(
        "--restore", action="store_true", help="then run the restore drill on it"
    )
    args = parser.parse_args()
    handler = {"restore": cmd_restore, "upgrade": cmd_upgrade, "facts": cmd_facts}
    return handler[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
