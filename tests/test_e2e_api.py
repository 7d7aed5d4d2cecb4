"""End to end: the JSON-RPC example of docs/api.md (linked from the README)
runs as it stands against a running server with the demo data, as an
integration user with an API key, and does what the page says it does."""

import re
from pathlib import Path

import pytest

API_PAGE = Path(__file__).resolve().parent.parent / "docs" / "api.md"
ADDRESS_LINE = (
    'URL, DB, LOGIN, PASSWORD = "https://odoo.exempelby.se", "municipal", '
    '"integration", os.environ["ODOO_API_KEY"]'
)


def _api_example():
    text = API_PAGE.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- api-example:start -->\n```python\n(.*?)```\n<!-- api-example:end -->",
        text,
        re.DOTALL,
    )
    assert block, "docs/api.md has no API example between its markers"
    return text, block.group(1)


@pytest.fixture(scope="module")
def integration(make_user):
    # An API key is used the same way as the password: here, the password.
    make_user("integration", "municipal_it_lease.municipal_it_lease_group_user")
    return "integration-pw-2026"


@pytest.fixture(scope="module")
def anna(admin):
    return admin.call(
        "hr.employee",
        "create",
        {"name": "Anna Svensson", "work_email": "anna.svensson@exempelby.se"},
    )


def test_api_example_runs_and_does_what_it_says(odoo_server, admin, integration, anna):
    key = integration
    text, code = _api_example()
    assert code.count(ADDRESS_LINE) == 1, "the example's first line changed"
    code = code.replace(
        ADDRESS_LINE,
        f"URL, DB, LOGIN, PASSWORD = {odoo_server['url']!r}, "
        f"{odoo_server['db']!r}, 'integration', {key!r}",
    )
    namespace = {}
    exec(compile(code, "docs/api.md (API example)", "exec"), namespace)  # noqa: S102

    # 1. Both devices found from the serials as typed, and only them.
    assert sorted(row["serial_no"] for row in namespace["devices"]) == [
        "DEMO-1-0001",
        "DEMO-1-0002",
    ]
    # 2. The device's user is Anna.
    device = admin.call(
        "maintenance.equipment",
        "read",
        [namespace["device_id"]],
        ["serial_no", "employee_id", "equipment_assign_to"],
    )[0]
    assert device["serial_no"] == "DEMO-1-0001"
    assert device["employee_id"][0] == anna
    assert device["equipment_assign_to"] == "employee"
    # 3. The crate and both its lines are received on the date given, and
    #    the devices are back with the lessor.
    crate = admin.call(
        "it.disposal.batch",
        "read",
        [namespace["crate_id"]],
        ["state", "received_date", "received_by", "line_ids", "has_incident"],
    )[0]
    assert crate["state"] == "received"
    assert crate["received_date"] == "2026-11-30"
    assert crate["received_by"] == "Lager Kista"
    assert crate["has_incident"] is False, "the seals seen are the crate's own"
    lines = admin.call(
        "it.disposal.batch.line",
        "read",
        crate["line_ids"],
        ["serial_no", "receipt_state", "received_date"],
    )
    assert sorted((ln["serial_no"], ln["receipt_state"]) for ln in lines) == [
        ("DSP-05", "received"),
        ("DSP-06", "received"),
    ]
    assert {ln["received_date"] for ln in lines} == {"2026-11-30"}

    # A refused call raises with the message the page quotes, and writes
    # nothing: no receipt line changes.
    call = namespace["call"]
    receipt_id = call(
        "it.disposal.receipt",
        "create",
        {"batch_id": crate["id"], "receipt_date": "2026-12-01", "serials": "XYZ-1"},
    )
    with pytest.raises(RuntimeError) as refused:
        call("it.disposal.receipt", "action_confirm", [receipt_id])
    crate_name = admin.call(
        "it.disposal.batch", "read", [crate["id"]], ["display_name"]
    )[0]["display_name"]
    assert str(refused.value) == f"Not in crate {crate_name}: XYZ-1."
    # The page quotes it for the demo crate (its number holds the year).
    quoted = re.search(r"\*Not in crate (RET/\d{4}/\d{4}): XYZ-1\.\*", text)
    assert quoted, "docs/api.md no longer quotes the refusal"
    assert re.fullmatch(r"RET/\d{4}/\d{4}", crate_name), crate_name
    after = admin.call(
        "it.disposal.batch.line", "read", crate["line_ids"], ["received_date"]
    )
    assert {ln["received_date"] for ln in after} == {"2026-11-30"}
