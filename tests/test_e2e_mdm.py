"""End to end: a device-management export previewed and applied over
JSON-RPC, and two IT users applying the same import at the same moment: it
is applied once, the loser gets a clear message, the register holds the
export's values."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from test_e2e_concurrency import _assert_clear, _race

ROUNDS = 10
HEADER = "Device name,Serial number,Primary user UPN,OS,OS version,Last check-in"


@pytest.fixture(scope="module")
def it_users(make_user):
    return [
        make_user(f"e2e_mdm_{n}", "municipal_it_lease.municipal_it_lease_group_user")
        for n in (1, 2)
    ]


@pytest.fixture(scope="module")
def intune(admin):
    source = admin.call(
        "ir.model.data",
        "check_object_reference",
        "municipal_it_mdm",
        "it_mdm_source_intune",
    )[1]
    return source


def _export(round_number, checkin):
    rows = [
        f"EXB-LAP-0003,demo-1- 0003,e2e@exempelby.se,Windows,10.0.{round_number}.1,{checkin}",
        f"EXB-TAB-0004,DEMO-1-0004,e2e@exempelby.se,iOS,18.{round_number},{checkin}",
    ]
    return base64.b64encode("\r\n".join([HEADER, *rows]).encode()).decode()


def _device(admin, serial):
    return admin.call(
        "maintenance.equipment",
        "search_read",
        [("serial_lookup", "=", serial)],
        fields=["os_version", "mdm_device_name", "mdm_last_checkin"],
    )[0]


def test_two_users_apply_the_same_import_once(admin, it_users, intune):
    first, second = it_users
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=ROUNDS + 1)
    for round_number in range(1, ROUNDS + 1):
        checkin = (start + timedelta(hours=round_number)).strftime("%Y-%m-%d %H:%M:%S")
        import_id = first.call(
            "it.mdm.import",
            "create",
            {
                "source_id": intune,
                "file": _export(round_number, checkin),
                "filename": f"intune-{round_number}.csv",
            },
        )
        first.call("it.mdm.import", "action_preview", [import_id])
        statuses = first.call(
            "it.mdm.import.line",
            "search_read",
            [("import_id", "=", import_id)],
            fields=["serial_no", "status"],
        )
        assert sorted(line["status"] for line in statuses) == ["update", "update"]

        outcomes = _race(
            lambda i=import_id: first.call("it.mdm.import", "action_apply", [i]),
            lambda i=import_id: second.call("it.mdm.import", "action_apply", [i]),
        )
        errors = [error for _result, error in outcomes if error]
        assert len(errors) == 1, f"round {round_number}: {outcomes}"
        _assert_clear(errors[0])
        assert "already applied" in errors[0].message, errors[0].message

        record = admin.call("it.mdm.import", "read", [import_id], ["state"])[0]
        assert record["state"] == "done"
        applied = admin.call(
            "mail.message",
            "search_count",
            [
                ("model", "=", "it.mdm.import"),
                ("res_id", "=", import_id),
                ("body", "ilike", "Applied to the register"),
            ],
        )
        assert applied == 1, f"round {round_number}: applied {applied} times"
        assert _device(admin, "DEMO-1-0003")["os_version"] == f"10.0.{round_number}.1"
        tablet = _device(admin, "DEMO-1-0004")
        assert tablet["os_version"] == f"18.{round_number}"
        assert tablet["mdm_last_checkin"] == checkin


def test_an_applied_import_cannot_be_changed_over_rpc(admin, it_users, intune):
    first, _second = it_users
    checkin = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    import_id = first.call(
        "it.mdm.import",
        "create",
        {"source_id": intune, "file": _export(99, checkin), "filename": "x.csv"},
    )
    first.call("it.mdm.import", "action_preview", [import_id])
    first.call("it.mdm.import", "action_apply", [import_id])
    for call in (
        lambda: first.call("it.mdm.import", "write", [import_id], {"state": "draft"}),
        lambda: first.call("it.mdm.import", "unlink", [import_id]),
        lambda: admin.call("it.mdm.import", "write", [import_id], {"file": False}),
    ):
        with pytest.raises(Exception) as refused:
            call()
        _assert_clear(refused.value)
    assert (
        admin.call("it.mdm.import", "read", [import_id], ["state"])[0]["state"]
        == "done"
    )
