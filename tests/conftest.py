"""Start a real Odoo 18 server on its own database for end-to-end tests.

The database is created fresh with both addons and their demo data, the
server listens on a free local port, and the tests talk to it over JSON-RPC
exactly as any client would. Everything is torn down at the end.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Every addon of the repository, with its demo data.
MODULES = ",".join(
    sorted(path.parent.name for path in (REPO / "addons").glob("*/__manifest__.py"))
)


def _addons_path():
    if os.environ.get("ODOO_ADDONS_PATH"):
        return os.environ["ODOO_ADDONS_PATH"]
    script = (
        "from odoo.tools import config; config.parse_config([]); "
        "print(config['addons_path'])"
    )
    default = subprocess.check_output([sys.executable, "-c", script], text=True)
    return f"{default.strip()},{REPO / 'addons'}"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _odoo(*args):
    return [sys.executable, "-m", "odoo", *args]


class OdooRpc:
    """A JSON-RPC session of one user against the test server."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        self.uid = self._call("common", "login", db, login, password)
        if not self.uid:
            raise AssertionError(f"login refused for {login}")

    def _call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": uuid.uuid4().hex,
            "params": {"service": service, "method": method, "args": args},
        }
        request = urllib.request.Request(
            f"{self.url}/jsonrpc",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.load(response)
        if "error" in body:
            raise RpcError(body["error"]["data"])
        # Odoo leaves "result" out when the method returned None.
        return body.get("result")

    def call(self, model, method, *args, **kwargs):
        return self._call(
            "object",
            "execute_kw",
            self.db,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )


class RpcError(Exception):
    def __init__(self, data):
        super().__init__(data.get("message"))
        self.name = data.get("name")
        self.message = data.get("message")


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    db = f"mitl_e2e_{uuid.uuid4().hex[:8]}"
    port = _free_port()
    addons = _addons_path()
    data_dir = tmp_path_factory.mktemp("odoo_data")
    common = [f"--addons-path={addons}", f"--data-dir={data_dir}", "-d", db]
    install = subprocess.run(
        _odoo(*common, "-i", MODULES, "--stop-after-init", "--log-level=warn"),
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if install.returncode != 0:
        subprocess.run(["dropdb", "--if-exists", db], check=False)
        pytest.fail(f"installing the addons failed:\n{install.stderr[-4000:]}")
    log = open(data_dir / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        _odoo(
            *common,
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            f"--db-filter=^{db}$",
            "--max-cron-threads=0",
            "--log-level=warn",
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/web/health", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "the Odoo server did not start:\n"
                        + (data_dir / "server.log").read_text()[-4000:]
                    )
                time.sleep(0.5)
        yield {"url": url, "db": db}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        subprocess.run(["dropdb", "--if-exists", db], check=False)


@pytest.fixture(scope="session")
def admin(odoo_server):
    return OdooRpc(odoo_server["url"], odoo_server["db"], "admin", "admin")


@pytest.fixture(scope="session")
def make_user(odoo_server, admin):
    """Create a user in the given group (by XML id) and log in as that user."""

    def make(login, group_xmlid):
        group_id = admin.call(
            "ir.model.data", "check_object_reference", *group_xmlid.split(".")
        )[1]
        admin.call(
            "res.users",
            "create",
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": f"{login}-pw-2026",
                "groups_id": [(4, group_id)],
            },
        )
        return OdooRpc(odoo_server["url"], odoo_server["db"], login, f"{login}-pw-2026")

    return make
