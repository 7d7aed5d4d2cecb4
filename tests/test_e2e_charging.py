"""End to end: finance staff charge last month of the demo municipality over
JSON-RPC, as the web client does, and cannot post the same month twice."""

import calendar
from datetime import date

import pytest
from conftest import RpcError


def _previous_month(today):
    year, month = (
        (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    )
    return date(year, month, 1)


def test_previous_month_posted_once(admin):
    month = _previous_month(date.today())
    month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    # What the register says: the demo schedules start on the 1st, so every
    # device on an active schedule covering the whole month pays its rent.
    lines = admin.call(
        "it.lease.line",
        "search_read",
        [
            ("state", "in", ["active", "ended"]),
            ("date_start", "<=", month.isoformat()),
            ("date_end", ">=", month_end.isoformat()),
        ],
        ["monthly_rent"],
    )
    expected = round(sum(line["monthly_rent"] for line in lines), 2)
    assert expected > 0

    run_id = admin.call("it.charge.run", "create", {"date_from": month.isoformat()})
    admin.call("it.charge.run", "action_post", [run_id])
    run = admin.call(
        "it.charge.run",
        "read",
        [run_id],
        ["state", "move_id", "amount_total", "device_count"],
    )[0]
    assert run["state"] == "posted"
    assert run["device_count"] == len(lines)
    assert round(run["amount_total"], 2) == expected
    move = admin.call(
        "account.move", "read", [run["move_id"][0]], ["state", "amount_total", "date"]
    )[0]
    assert move["state"] == "posted"
    assert round(move["amount_total"], 2) == expected
    assert move["date"] == month_end.isoformat()

    with pytest.raises(RpcError) as error:
        admin.call("it.charge.run", "create", {"date_from": month.isoformat()})
    assert "already has a charge run" in error.value.message
