# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settings and input for the statements that write 100,000 rows at once.

PostgreSQL's defaults suit many small queries: 4 MB per sort (a charge run's
100,000 lines then sort on disk) and JIT compilation for any query its
estimates call expensive (700 ms compiling a reconciliation that runs in 2 s).
"""

import csv
import gc
import io
from contextlib import contextmanager

from odoo.tools import SQL

BULK_SETTINGS = {"work_mem": "64MB", "jit": "off"}


@contextmanager
def bulk_statement(cr, **settings):
    """Run the statements of the block with ``BULK_SETTINGS`` (or
    ``settings``), then give the transaction its own settings back."""
    settings = settings or BULK_SETTINGS
    previous = {}
    for name, value in settings.items():
        cr.execute(
            SQL(
                "SELECT current_setting(%s), set_config(%s, %s, true)",
                name,
                name,
                value,
            )
        )
        previous[name] = cr.fetchone()[0]
    try:
        yield
    finally:
        for name, value in previous.items():
            cr.execute(SQL("SELECT set_config(%s, %s, true)", name, value))


@contextmanager
def paused_gc():
    """Read or build 100,000 rows in Python without the cyclic garbage
    collector: each row allocates a few lists and tuples, which trigger
    full collections that walk every object of the process (Odoo's
    registry: hundreds of thousands). Reading a 100,000-row lessor file
    took 0.64 s with it and 0.12 s without. Objects are still freed by
    reference counting meanwhile; the collector resumes at the end of the
    block (if it was running before). The collector is the process's: in a
    threaded server, other requests skip cyclic collection for those
    seconds too (their memory is freed after); workers are processes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def copy_rows(cr, table, columns, rows):
    """Create the temporary ``table`` (dropped at the end of the transaction)
    with ``columns`` [(name, SQL type)] and fill it with ``rows`` through one
    ``COPY``: the fastest way to hand PostgreSQL 100,000 rows, where arrays
    of literals cost seconds to build and to parse."""
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
    cr.execute(
        SQL(
            "CREATE TEMPORARY TABLE %s (%s) ON COMMIT DROP",
            SQL.identifier(table),
            SQL(", ").join(
                SQL("%s %s", SQL.identifier(name), SQL(kind)) for name, kind in columns
            ),
        )
    )
    buffer = io.StringIO()
    # CSV: quoting is csv's, so no value can break out of its cell; None
    # becomes the empty unquoted field, which COPY reads as NULL.
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    cr.copy_expert(
        SQL(
            "COPY %s (%s) FROM STDIN WITH (FORMAT csv)",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name, _kind in columns),
        ).code,
        buffer,
    )
