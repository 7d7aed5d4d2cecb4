"""End to end: the access matrix over every model the addons touch.

Company A is the demo company, with demo records of nearly every model.
Company B is created here, with one user per role whose only company is B:
every group of a ``municipal_it_*`` module, the core groups the addons give
rights to, and a portal user. For every stored model an addon defines or
extends (plus the OCA tier models, journal entries, analytic lines, devices,
lots, purchase orders, and the attachments and messages of our records),
each B user must neither count, read, find by name, see the display name
of, write nor delete company A's records. Every leak is listed.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import OdooRpc, RpcError

ACCESS_ERROR = "odoo.exceptions.AccessError"
MISSING_ERROR = "odoo.exceptions.MissingError"

CORE_ROLES = (
    "base.group_user",
    "account.group_account_invoice",
    "account.group_account_manager",
    "purchase.group_purchase_user",
    "purchase.group_purchase_manager",
    "stock.group_stock_user",
    "maintenance.group_equipment_manager",
    "base.group_portal",
)
EXTRA_MODELS = (
    "tier.review",
    "tier.definition",
    "account.move",
    "account.move.line",
    "account.analytic.line",
    "maintenance.equipment",
    "stock.lot",
    "purchase.order",
)
# Models without a company whose records are the same for every company by
# design of Odoo: analytic plans (the analytic accounts, our activity codes,
# carry the company) and onboarding step definitions (each company's progress
# is kept in onboarding.progress).
SHARED_MODELS = ("account.analytic.plan", "onboarding.onboarding.step")
# At most this many of company A's ids per model are probed (all of them in
# ``search_count``/``name_search``; the first five in ``read``).
MAX_IDS = 200


def _our_models(admin):
    """Stored, non-transient models whose ir.model record belongs to one of
    our modules, with the extra models the issue names."""
    data = admin.call(
        "ir.model.data",
        "search_read",
        [("model", "=", "ir.model"), ("module", "=like", "municipal_it_%")],
        ["res_id"],
    )
    models = admin.call(
        "ir.model",
        "search_read",
        [
            "|",
            ("id", "in", [row["res_id"] for row in data]),
            ("model", "in", list(EXTRA_MODELS)),
        ],
        ["model", "transient"],
    )
    names = []
    for model in models:
        if model["transient"]:
            continue
        try:
            # Abstract models (mixins, report helpers) have no table.
            admin.call(model["model"], "search", [], limit=1)
        except RpcError:
            continue
        names.append(model["model"])
    return sorted(names)


def _company_a_ids(admin, model, company_a, company_b):
    fields = admin.call(model, "fields_get", [], attributes=["type", "relation"])
    context = {"active_test": False}
    if model == "res.company":
        return [company_a]
    if model in SHARED_MODELS:
        return []
    domain = []
    company = fields.get("company_id")
    if company and company["type"] == "many2one":
        domain = [("company_id", "=", company_a)]
    if model == "res.partner":
        # The partners of internal users are visible across companies by
        # design of Odoo (rule "res.partner company").
        domain.append(("partner_share", "=", True))
    if model == "res.users":
        # Internal users are visible across companies by design of Odoo
        # (rule "user rule", as their partners): company A's portal users
        # are probed, who must stay hidden from company B.
        domain += [("share", "=", True), ("company_ids", "not in", [company_b])]
    return admin.call(
        model,
        "search",
        domain,
        limit=MAX_IDS,
        order="id",
        context=context,
    )


def _write_probe(admin, model):
    """Values whose write changes a record, so that the write cannot return
    early without checking the rights (an empty write, or one that changes
    nothing, skips the checks in some models)."""
    fields = admin.call(
        model, "fields_get", [], attributes=["type", "readonly", "store", "related"]
    )
    candidates = [
        name
        for name, field in fields.items()
        if field["type"] in ("char", "text")
        and field.get("store")
        and not field.get("readonly")
        and not field.get("related")
        and name not in ("password", "login")
    ]
    if not candidates:
        return {}
    name = "name" if "name" in candidates else min(candidates)
    return {name: "Matrix probe from company B"}


def _linked_ids(admin, model, linked_model, field_model, ids_by_model):
    """Ids of ``linked_model`` (attachments, messages) on company A's
    records of our models."""
    ids = []
    for res_model, res_ids in sorted(ids_by_model.items()):
        if not res_ids:
            continue
        ids += admin.call(
            linked_model,
            "search",
            [(field_model, "=", res_model), ("res_id", "in", res_ids)],
            limit=50,
            order="id",
            context={"active_test": False},
        )
    return ids[:MAX_IDS]


@pytest.fixture(scope="module")
def company_a(admin):
    return admin.call("res.users", "read", [admin.uid], ["company_id"])[0][
        "company_id"
    ][0]


@pytest.fixture(scope="module")
def company_b(admin):
    return admin.call("res.company", "create", {"name": "Matrix Grannkommunen"})


@pytest.fixture(scope="module")
def roles(odoo_server, admin, company_b):
    """One user per role, in company B only, logged in over JSON-RPC."""
    data = admin.call(
        "ir.model.data",
        "search_read",
        [("model", "=", "res.groups"), ("module", "=like", "municipal_it_%")],
        ["module", "name", "res_id"],
        order="module, name",
    )
    groups = {f"{row['module']}.{row['name']}": row["res_id"] for row in data}
    for xmlid in CORE_ROLES:
        groups[xmlid] = admin.call(
            "ir.model.data", "check_object_reference", *xmlid.split(".")
        )[1]
    users = {}
    for number, (xmlid, group) in enumerate(sorted(groups.items())):
        login = f"matrix_b_{number}"
        admin.call(
            "res.users",
            "create",
            {
                "name": f"Matrix B {xmlid}",
                "login": login,
                # A sender address, so that posting a message reaches the
                # access check.
                "email": f"{login}@grannkommunen.example",
                "password": f"{login}-pw-2026",
                "company_id": company_b,
                "company_ids": [(6, 0, [company_b])],
                # Only this group (and what it implies): no default groups.
                "groups_id": [(6, 0, [group])],
            },
        )
        users[xmlid] = OdooRpc(
            odoo_server["url"], odoo_server["db"], login, f"{login}-pw-2026"
        )
    return users


def _refused(error):
    return error.name in (ACCESS_ERROR, MISSING_ERROR)


def _probe(user, model, ids, destructive, write_values=None, thread=False):
    """The reading operations of one B user on company A's ids of one model,
    or (``destructive``) its write and unlink. Returns (cases, leaks, notes).
    """
    leaks, notes = [], []
    cases = 0
    a_ids = set(ids)

    def leak(operation, detail):
        leaks.append(f"{model} / {operation}: {detail}")

    if destructive:
        return _probe_write(user, model, ids, write_values, thread)
    # search_count: nothing of A counted.
    cases += 1
    try:
        count = user.call(model, "search_count", [("id", "in", ids)])
        if count:
            leak("search_count", f"{count} of {len(ids)} ids of company A")
    except RpcError as error:
        if not _refused(error):
            notes.append(f"{model} / search_count: {error.name}: {error.message}")
    # read: refused, or nothing.
    cases += 1
    try:
        rows = user.call(model, "read", ids[:5], ["display_name"])
        if rows:
            leak(
                "read",
                ", ".join(f"{row['id']}={row.get('display_name')!r}" for row in rows),
            )
    except RpcError as error:
        if not _refused(error):
            notes.append(f"{model} / read: {error.name}: {error.message}")
    # name_search (how a many2one field finds its record): none of A's.
    cases += 1
    try:
        found = user.call(
            model, "name_search", name="", args=[("id", "in", ids)], limit=len(ids)
        )
        found = [(rid, name) for rid, name in found if rid in a_ids]
        if found:
            leak("name_search", ", ".join(f"{rid}={name!r}" for rid, name in found))
    except RpcError as error:
        if not _refused(error):
            notes.append(f"{model} / name_search: {error.name}: {error.message}")
    # display_name as the web client reads it for a many2one.
    cases += 1
    try:
        result = user.call(
            model,
            "web_search_read",
            [("id", "in", ids)],
            specification={"display_name": {}},
            limit=5,
        )
        if result["records"]:
            leak(
                "display_name",
                ", ".join(
                    f"{row['id']}={row['display_name']!r}" for row in result["records"]
                ),
            )
    except RpcError as error:
        if not _refused(error):
            notes.append(f"{model} / display_name: {error.name}: {error.message}")
    return cases, leaks, notes


def _probe_write(user, model, ids, write_values, thread):
    leaks, notes = [], []
    cases = 0
    operations = [("write", ([ids[0]], write_values), {})]
    if thread:
        # Commenting on a record of the other company.
        operations.append(
            ("message_post", ([ids[0]],), {"body": "Matrix probe from company B"})
        )
    operations.append(("unlink", ([ids[-1]],), {}))
    for operation, args, kwargs in operations:
        cases += 1
        try:
            user.call(model, operation, *args, **kwargs)
            leaks.append(f"{model} / {operation}: id {args[0][0]} accepted")
        except RpcError as error:
            if not _refused(error):
                # Refused, but not for lack of rights: the record was
                # reachable.
                notes.append(f"{model} / {operation}: {error.name}: {error.message}")
    return cases, leaks, notes


def test_access_matrix(admin, roles, company_a, company_b):
    models = _our_models(admin)
    ids_by_model = {
        model: _company_a_ids(admin, model, company_a, company_b) for model in models
    }
    # A review belongs to its document: company A's reviews are those of
    # company A's documents, whatever company the review itself carries.
    reviews = admin.call(
        "tier.review",
        "search_read",
        [],
        ["model", "res_id"],
        order="id",
        context={"active_test": False},
    )
    ids_by_model["tier.review"] = sorted(
        set(ids_by_model["tier.review"])
        | {
            review["id"]
            for review in reviews
            if review["res_id"] in ids_by_model.get(review["model"], ())
        }
    )[:MAX_IDS]
    ours = {m: ids for m, ids in ids_by_model.items() if m not in EXTRA_MODELS}
    ids_by_model["ir.attachment"] = _linked_ids(
        admin, "ir.attachment", "ir.attachment", "res_model", ours
    )
    ids_by_model["mail.message"] = _linked_ids(
        admin, "mail.message", "mail.message", "model", ours
    )
    probed = {model: ids for model, ids in ids_by_model.items() if ids}
    # The demo company has records of the models that matter most.
    for model in ("tier.review", "purchase.order", "maintenance.equipment"):
        assert probed.get(model), f"no demo record of {model} in company A"

    write_values = {model: _write_probe(admin, model) for model in probed}
    threads = {
        model
        for model in probed
        if "message_ids" in admin.call(model, "fields_get", ["message_ids"])
    }
    print(
        "no record of company A: "
        + ", ".join(sorted(model for model, ids in ids_by_model.items() if not ids))
    )
    print(
        "company A's records probed: "
        + ", ".join(f"{model} ({len(ids)})" for model, ids in sorted(probed.items()))
    )

    jobs = [(role, model) for role in sorted(roles) for model in sorted(probed)]
    # Reads in parallel; writes and deletes one at a time, once every role has
    # read (a delete that got through must not hide another role's read leak).
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(
                lambda job: (job, _probe(roles[job[0]], job[1], probed[job[1]], False)),
                jobs,
            )
        )
    results += [
        (
            (role, model),
            _probe(
                roles[role],
                model,
                probed[model],
                True,
                write_values[model],
                model in threads,
            ),
        )
        for role, model in jobs
    ]
    cases = 0
    leaks, notes = [], []
    for (role, _model), (job_cases, job_leaks, job_notes) in results:
        cases += job_cases
        leaks += [f"{role}: {leak}" for leak in job_leaks]
        notes += [f"{role}: {note}" for note in job_notes]
    summary = (
        f"access matrix: {cases} cases (two companies, {len(roles)} roles, "
        f"{len(probed)} models), {len(leaks)} leaks"
    )
    print(summary)
    for note in notes:
        print(f"refused, not by access rights: {note}")
    for leak in leaks:
        print(f"LEAK {leak}")
    assert company_b != company_a
    assert not leaks, summary + "\n" + "\n".join(leaks)
