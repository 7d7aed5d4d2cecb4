# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Charge lines and reconciliation lines are written 100,000 at a time. They
# no longer store their company or currency (their run's or reconciliation's)
# nor who wrote them and when (idem): drop those columns, with their foreign
# keys, so that PostgreSQL does not check them for every row. The
# reconciliation lines' status is indexed with the reconciliation instead of
# alone.
from odoo.tools import SQL

COLUMNS = {
    "it_charge_line": (
        "company_id",
        "currency_id",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
    ),
    "it_lease_reconciliation_line": (
        "company_id",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
    ),
}
INDEXES = (
    "it_lease_reconciliation_line__status_index",
    "it_lease_reconciliation_line__reconciliation_id_index",
)


def migrate(cr, version):
    for table, columns in COLUMNS.items():
        for column in columns:
            cr.execute(
                SQL(
                    "ALTER TABLE %s DROP COLUMN IF EXISTS %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                )
            )
    for index in INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
