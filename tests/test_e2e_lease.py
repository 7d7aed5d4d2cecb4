"""End to end: IT staff register devices and put them on a lease schedule
through a running Odoo server, as the web client or an integration would."""

import pytest
from conftest import RpcError


@pytest.fixture(scope="module")
def it_user(make_user):
    return make_user("e2e_it_user", "municipal_it_lease.municipal_it_lease_group_user")


@pytest.fixture(scope="module")
def it_manager(make_user):
    return make_user(
        "e2e_it_manager", "municipal_it_lease.municipal_it_lease_group_manager"
    )


@pytest.fixture(scope="module")
def activity_code(admin):
    company = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]
    plan_id = admin.call(
        "res.company", "read", [company["company_id"][0]], ["it_activity_code_plan_id"]
    )[0]["it_activity_code_plan_id"][0]
    return admin.call(
        "account.analytic.account",
        "create",
        {"name": "E2E Skola", "code": "E2E-3200", "plan_id": plan_id},
    )


@pytest.fixture(scope="module")
def lessor(admin):
    return admin.call("res.partner", "create", {"name": "E2E Lessor AB"})


@pytest.fixture(scope="module")
def devices(it_user, activity_code):
    return it_user.call(
        "maintenance.equipment",
        "create",
        [
            {
                "name": f"E2E laptop {n}",
                "serial_no": f"E2E-SN-{n}",
                "device_category": "laptop",
                "activity_code_id": activity_code,
                "lifecycle_state": "in_use",
            }
            for n in range(1, 4)
        ],
    )


@pytest.fixture(scope="module")
def schedule(it_manager, lessor, devices):
    agreement = it_manager.call(
        "it.lease.agreement", "create", {"name": "E2E-MA", "lessor_id": lessor}
    )
    schedule_id = it_manager.call(
        "it.lease.schedule",
        "create",
        {
            "name": "E2E annex 1",
            "agreement_id": agreement,
            "date_start": "2040-01-01",
            "term_months": 36,
            "line_ids": [
                (0, 0, {"equipment_id": device, "monthly_rent": 450.0})
                for device in devices
            ],
        },
    )
    it_manager.call("it.lease.schedule", "action_activate", [schedule_id])
    return schedule_id


def test_demo_municipality_is_loaded(admin):
    demo_devices = admin.call(
        "maintenance.equipment", "search_count", [("serial_no", "=like", "DEMO-%")]
    )
    schedules = admin.call("it.lease.schedule", "search_count", [])
    assert demo_devices == 30
    assert schedules == 3


def test_lease_with_devices_is_read_back(it_user, schedule, devices, lessor):
    rows = it_user.call(
        "it.lease.schedule",
        "read",
        [schedule],
        ["state", "date_end", "line_count", "monthly_rent_total", "lessor_id"],
    )[0]
    assert rows["state"] == "active"
    assert rows["date_end"] == "2042-12-31"
    assert rows["line_count"] == 3
    assert rows["monthly_rent_total"] == 3 * 450.0
    assert rows["lessor_id"][0] == lessor

    read = it_user.call(
        "maintenance.equipment",
        "read",
        devices,
        ["serial_no", "lessor_id", "lease_end_date", "lease_schedule_id"],
    )
    assert sorted(d["serial_no"] for d in read) == ["E2E-SN-1", "E2E-SN-2", "E2E-SN-3"]
    assert {d["lessor_id"][0] for d in read} == {lessor}
    assert {d["lease_end_date"] for d in read} == {"2042-12-31"}
    assert {d["lease_schedule_id"][0] for d in read} == {schedule}


def test_lease_end_filter_finds_devices_by_serial(it_user, schedule):
    found = it_user.call(
        "maintenance.equipment",
        "search_read",
        [("lease_schedule_id", "=", schedule), ("serial_no", "ilike", "e2e-sn-2")],
        ["name"],
    )
    assert [d["name"] for d in found] == ["E2E laptop 2"]


def test_duplicate_serial_refused_naming_the_device(it_user, devices):
    with pytest.raises(RpcError) as error:
        it_user.call(
            "maintenance.equipment",
            "create",
            {"name": "Copy", "serial_no": " e2e-sn-1 "},
        )
    assert error.value.name == "odoo.exceptions.ValidationError"
    assert "already used by device E2E laptop 1" in error.value.message


def test_overlapping_lease_refused(it_manager, schedule, devices):
    agreement = it_manager.call(
        "it.lease.schedule", "read", [schedule], ["agreement_id"]
    )[0]["agreement_id"][0]
    with pytest.raises(RpcError) as error:
        it_manager.call(
            "it.lease.schedule",
            "create",
            {
                "name": "E2E annex 2",
                "agreement_id": agreement,
                "date_start": "2041-01-01",
                "line_ids": [(0, 0, {"equipment_id": devices[0], "monthly_rent": 1.0})],
            },
        )
    assert "overlaps" in error.value.message
    assert "E2E annex 1" in error.value.message
    assert "E2E annex 2" in error.value.message


def test_it_user_cannot_change_leases(it_user, schedule):
    with pytest.raises(RpcError) as error:
        it_user.call("it.lease.schedule", "write", [schedule], {"term_months": 48})
    assert error.value.name == "odoo.exceptions.AccessError"
