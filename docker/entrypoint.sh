#!/bin/bash
# Start Odoo with the configuration of /etc/odoo plus the secrets of the
# environment, so that no password is ever written in the repository:
#   ODOO_MASTER_PASSWORD  the database manager's master password (required)
#   ODOO_ADMIN_PASSWORD   the password of the "admin" user, set when the
#                         database is created (required on the first start)
#   ODOO_DB_PASSWORD      PostgreSQL's password for Odoo (default "odoo")
#   ODOO_CONFIG           the configuration file (default /etc/odoo/odoo.conf;
#                         the production profile uses odoo-production.conf)
#   ODOO_DB, ODOO_MODULES the database and, on its first start, the addons to
#                         install into it (docker-compose.yml sets both)
#   ODOO_LANGUAGES        the languages loaded on the first start (default
#                         sv_SE,en_US: Swedish and English; comma separated)
#   ODOO_DB_REPLICA_HOST  a read replica of the database (the production
#                         profile's "replica"): read-only requests go to it
set -euo pipefail

refuse() {
    echo "municipal-it: $1" >&2
    exit 64
}
weak() {
    case "${1,,}" in "" | admin | odoo | change-me | changeme | password) return 0 ;; esac
    [ "${#1}" -lt 12 ]
}

config_in=${ODOO_CONFIG:-/etc/odoo/odoo.conf}
[ -r "$config_in" ] || refuse "no configuration file $config_in"
weak "${ODOO_MASTER_PASSWORD:-}" && refuse "set ODOO_MASTER_PASSWORD (12 characters or more, not a default) in .env"

# The configuration Odoo reads: the mounted file, then the secrets. It lives
# in Odoo's home, readable by Odoo only.
config=${HOME:-/var/lib/odoo}/odoo-runtime.conf
umask 077
{
    cat "$config_in"
    echo
    echo "admin_passwd = ${ODOO_MASTER_PASSWORD}"
    echo "db_password = ${ODOO_DB_PASSWORD:-odoo}"
    if [ -n "${ODOO_DB_REPLICA_HOST:-}" ]; then
        echo "db_replica_host = ${ODOO_DB_REPLICA_HOST}"
        echo "db_replica_port = ${ODOO_DB_REPLICA_PORT:-5432}"
    fi
} >"$config"

if [ "${1:-odoo}" != "odoo" ]; then
    exec "$@"
fi
shift || true

if [ -n "${ODOO_DB:-}" ] && [ -n "${ODOO_MODULES:-}" ]; then
    # First start: the database does not exist yet (or has no Odoo in it).
    installed=$(python3 - "$config" <<'PY'
import sys
import psycopg2
from odoo.tools import config

config.parse_config(["-c", sys.argv[1]])
import os

try:
    conn = psycopg2.connect(
        dbname=os.environ["ODOO_DB"], host=config["db_host"] or None,
        port=config["db_port"] or None, user=config["db_user"] or None,
        password=config["db_password"] or None,
    )
except psycopg2.OperationalError:
    print("no")
    sys.exit(0)
with conn, conn.cursor() as cr:
    cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
    print("yes" if cr.fetchone()[0] else "no")
PY
)
    if [ "$installed" = "no" ]; then
        weak "${ODOO_ADMIN_PASSWORD:-}" && refuse "set ODOO_ADMIN_PASSWORD (12 characters or more, not a default) in .env before the first start"
        # Installed before Odoo serves: nothing listens on the port until the
        # install is done, so no browser request can run into it. Swedish is
        # loaded for the users who choose it.
        odoo -c "$config" -d "$ODOO_DB" -i "$ODOO_MODULES" --load-language="${ODOO_LANGUAGES:-sv_SE,en_US}" \
            --stop-after-init ${ODOO_INIT_OPTIONS:-}
        # The admin user gets the password of the environment, not "admin".
        odoo shell -c "$config" -d "$ODOO_DB" --no-http <<'PY'
import os
env.ref("base.user_admin").password = os.environ["ODOO_ADMIN_PASSWORD"]
env.cr.commit()
PY
    fi
    set -- -d "$ODOO_DB" --db-filter="^${ODOO_DB}\$" "$@"
fi

exec odoo -c "$config" "$@"
