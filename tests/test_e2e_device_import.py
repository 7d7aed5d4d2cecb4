"""End to end: a register file of 2,500 devices queued by an IT user over
JSON-RPC and imported by the scheduled job in the background, in two batches
of one call of the job, in one transaction. A good file is imported whole; a
file refused on its last batch imports nothing, not even the first batch, and
names the refused row."""

import base64

import pytest

ROWS = 2500
HEADER = "name,serial_no,device_category,activity_code_id,lifecycle_state"


@pytest.fixture(scope="module")
def clerk(make_user):
    return make_user(
        "e2e_bg_import", "municipal_it_lease.municipal_it_lease_group_user"
    )


@pytest.fixture(scope="module")
def cron_id(admin):
    return admin.call(
        "ir.model.data",
        "check_object_reference",
        "municipal_it_lease",
        "ir_cron_it_device_import",
    )[1]


def _file(prefix, bad_row=None):
    rows = [
        f"Laptop {n},{prefix}-{n:05d},laptop,{'9999' if n == bad_row else '3200'},in_use"
        for n in range(1, ROWS + 1)
    ]
    return base64.b64encode("\n".join([HEADER, *rows]).encode()).decode()


def _queue_and_run(admin, clerk, cron_id, content):
    import_id = clerk.call(
        "it.device.import", "create", {"file": content, "filename": "register.csv"}
    )
    clerk.call("it.device.import", "action_queue", [import_id])
    queued = clerk.call(
        "it.device.import", "read", [import_id], ["state", "row_count", "user_id"]
    )[0]
    assert queued["state"] == "queued"
    assert queued["row_count"] == ROWS
    # The server runs no cron thread here: run the job as the scheduler would.
    admin.call("ir.cron", "method_direct_trigger", [cron_id])
    return clerk.call(
        "it.device.import",
        "read",
        [import_id],
        ["state", "is_running", "device_count", "error_message"],
    )[0]


def _count(admin, prefix):
    return admin.call(
        "maintenance.equipment", "search_count", [("serial_no", "=like", f"{prefix}-%")]
    )


def test_a_good_file_is_imported_whole_in_the_background(admin, clerk, cron_id):
    result = _queue_and_run(admin, clerk, cron_id, _file("E2EBG"))
    assert result["state"] == "done", result
    assert result["device_count"] == ROWS
    assert result["is_running"] is False
    assert _count(admin, "E2EBG") == ROWS
    creators = admin.call(
        "maintenance.equipment",
        "read_group",
        [("serial_no", "=like", "E2EBG-%")],
        ["create_uid"],
        ["create_uid"],
    )
    assert [group["create_uid"][1] for group in creators] == ["E2E Bg Import"]


def test_a_file_refused_in_its_last_batch_imports_nothing(admin, clerk, cron_id):
    # Data row 2,400 is row 2,401 of the file, in the second batch: the
    # first 2,000 rows had been written when it was refused.
    result = _queue_and_run(admin, clerk, cron_id, _file("E2EBAD", bad_row=2400))
    assert result["state"] == "failed", result
    assert result["device_count"] == 0
    assert "Row 2401:" in result["error_message"]
    assert "9999" in result["error_message"]
    assert _count(admin, "E2EBAD") == 0
