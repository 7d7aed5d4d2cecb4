"""The operator's drills at a small size: an upgrade from the last release that
landed, then a restore of the upgraded database (scripts/drill.py).

The upgrade installs the addons as they were at ``UPGRADE_FROM`` with their
demo data, posts a month and applies a plan change, upgrades to this tree's
addons (every migration script runs) and checks that every crate's custody
chain, every stored file, every posted month are as before and the monthly
job posts the next month. The restore dumps that database and its filestore,
restores both under new names and checks the same facts.
"""

import json
import subprocess
import sys

from conftest import REPO

# The last commit that landed before the production issue: the addons'
# version a municipality runs today. Move it forward with each release.
UPGRADE_FROM = "e4eb7c3"


def _drill(*args):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "drill.py"), *args],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    reports = [
        json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")
    ]
    assert reports, f"the drill printed no report:\n{result.stderr[-4000:]}"
    return result.returncode, reports


def test_upgrade_then_restore():
    code, reports = _drill("upgrade", "--from", UPGRADE_FROM, "--restore")
    by_name = {report["drill"]: report for report in reports}
    upgrade, restore = by_name["upgrade"], by_name.get("restore")
    assert upgrade["problems"] == [], upgrade
    assert code == 0, reports
    # What the drill made before upgrading: one posted month (October of the
    # demo's leases) and a plan change moving devices.
    assert upgrade["made"]["posted"]["state"] == "posted"
    assert upgrade["made"]["plan_change"]["state"] == "applied"
    assert upgrade["made"]["plan_change"]["moved"] > 0
    # The demo's crates are there, with their chains, before and after.
    assert upgrade["crates"] >= 1
    assert upgrade["posted_months"] == 1
    # After the upgrade the monthly job posted one more month.
    job = upgrade["monthly_job"]
    assert job["posted_after"] == job["posted_before"] + 1
    # The restore of the upgraded database: same facts, and the job runs on.
    assert restore is not None, reports
    assert restore["problems"] == [], restore
    assert restore["posted_months"] == 1
    assert restore["files"] >= 1
    assert restore["monthly_job"]["posted_after"] == (
        restore["monthly_job"]["posted_before"] + 1
    )
