"""The Docker image's entrypoint (docker/entrypoint.sh), run here against the
local PostgreSQL and this machine's Odoo: it refuses weak secrets, creates
the database on the first start with the admin password of the environment
(not "admin"), and keeps the secrets out of every file but its own runtime
configuration, readable by its owner only."""

import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from passlib.context import CryptContext

REPO = Path(__file__).resolve().parent.parent
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"


@pytest.fixture
def sandbox(tmp_path):
    """A home, a configuration like config/odoo.conf (local database, Odoo's
    own addons) and an ``odoo`` command running this Python's Odoo."""
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    odoo = bin_dir / "odoo"
    odoo.write_text(f'#!/bin/sh\nexec {sys.executable} -m odoo "$@"\n')
    odoo.chmod(0o755)
    addons = subprocess.check_output(
        [
            sys.executable,
            "-c",
            (
                "from odoo.tools import config; config.parse_config([]); "
                "print(config['addons_path'])"
            ),
        ],
        text=True,
    ).strip()
    conf = tmp_path / "odoo.conf"
    conf.write_text(f"[options]\naddons_path = {addons}\n")
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(home),
        "ODOO_CONFIG": str(conf),
    }
    return env, home


def _run(env, *args, **extra):
    return subprocess.run(
        ["bash", str(ENTRYPOINT), *args],
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _admin_password(db):
    """The stored password (hash) of the admin user of ``db``."""
    query = "SELECT password FROM res_users WHERE login = 'admin'"
    return subprocess.check_output(["psql", "-d", db, "-Atc", query], text=True).strip()


@pytest.mark.parametrize(
    "password", ["", "admin", "change-me", "short-pw-11"], ids=repr
)
def test_weak_master_password_refused(sandbox, password):
    env, home = sandbox
    result = _run(env, "odoo", "--version", ODOO_MASTER_PASSWORD=password)
    assert result.returncode == 64
    assert "set ODOO_MASTER_PASSWORD" in result.stderr
    assert not (home / "odoo-runtime.conf").exists(), "nothing written"


def test_first_start_creates_the_database_with_the_admin_password(sandbox):
    env, home = sandbox
    db = f"mitl_entry_{uuid.uuid4().hex[:8]}"
    secrets = {
        "ODOO_MASTER_PASSWORD": "master-secret-2026",
        "ODOO_DB": db,
        "ODOO_MODULES": "base",
    }
    try:
        # Without an admin password, the first start refuses to create it.
        refused = _run(env, "odoo", "--stop-after-init", **secrets)
        assert refused.returncode == 64, refused.stderr
        assert "set ODOO_ADMIN_PASSWORD" in refused.stderr
        started = _run(
            env,
            "odoo",
            "--stop-after-init",
            ODOO_ADMIN_PASSWORD="kommun-admin-2026",
            **secrets,
        )
        assert started.returncode == 0, started.stderr[-3000:]
        stored = _admin_password(db)
        crypt = CryptContext(schemes=["pbkdf2_sha512", "plaintext"])
        assert crypt.verify("kommun-admin-2026", stored)
        assert not crypt.verify("admin", stored)
        # The master password is in the runtime configuration only, which
        # its owner alone may read.
        runtime = home / "odoo-runtime.conf"
        assert "admin_passwd = master-secret-2026" in runtime.read_text()
        assert stat.S_IMODE(runtime.stat().st_mode) == 0o600
        for path in (REPO / "config").rglob("*"):
            if path.is_file():
                assert "admin_passwd" not in path.read_text(), path
        # A second start finds the database and does not install again: the
        # admin password set by hand since then stays.
        subprocess.check_call(
            [
                "psql",
                "-q",
                "-d",
                db,
                "-c",
                "UPDATE res_users SET password = 'x' WHERE login = 'admin'",
            ]
        )
        again = _run(
            env,
            "odoo",
            "--stop-after-init",
            ODOO_ADMIN_PASSWORD="kommun-admin-2026",
            **secrets,
        )
        assert again.returncode == 0, again.stderr[-3000:]
        assert _admin_password(db) == "x"
    finally:
        subprocess.run(["dropdb", "--if-exists", db], check=False)
