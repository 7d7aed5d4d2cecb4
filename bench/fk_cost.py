"""What foreign keys cost a bulk insert, on this PostgreSQL, without Odoo.

The charge run writes one row per device into ``it_charge_line``, whose
eight many-to-one columns are each a foreign key (run, company, device,
lease line, activity code, currency, creating and writing user); its floor
writes the same rows into an unlogged table with none. This measures that
part of the gap alone: the same ``INSERT ... SELECT`` of N rows into a
table with 8, 4 and no foreign keys (each with its primary key), and into an
unlogged table without any index, in a scratch database dropped afterwards.

    python3 bench/fk_cost.py --rows 100000

Prints one JSON line: {"rows": N, "fk8_s", "fk4_s", "fk0_s", "unlogged_s",
"fk8_vs_unlogged", "per_fk_per_100k_s", "peak_rss_mb"}.
"""

import argparse
import json
import time
import uuid

import psycopg2
from benchlib import peak_rss_mb

SETUP = """
CREATE TABLE parent_device (id serial PRIMARY KEY);
CREATE TABLE parent_line (id serial PRIMARY KEY);
CREATE TABLE parent_small (id serial PRIMARY KEY);
INSERT INTO parent_device SELECT generate_series(1, %(rows)s);
INSERT INTO parent_line SELECT generate_series(1, %(rows)s);
INSERT INTO parent_small SELECT generate_series(1, 1000);
CREATE TABLE fk8 (
    id serial PRIMARY KEY,
    device int REFERENCES parent_device, line int REFERENCES parent_line,
    code int REFERENCES parent_small, run int REFERENCES parent_small,
    company int REFERENCES parent_small, currency int REFERENCES parent_small,
    create_uid int REFERENCES parent_small, write_uid int REFERENCES parent_small,
    amount numeric, date_from date, date_to date);
CREATE TABLE fk4 (
    id serial PRIMARY KEY,
    device int REFERENCES parent_device, line int REFERENCES parent_line,
    code int REFERENCES parent_small, run int REFERENCES parent_small,
    company int, currency int, create_uid int, write_uid int,
    amount numeric, date_from date, date_to date);
CREATE TABLE fk0 (
    id serial PRIMARY KEY,
    device int, line int, code int, run int, company int, currency int,
    create_uid int, write_uid int, amount numeric, date_from date, date_to date);
CREATE UNLOGGED TABLE unlogged (
    device int, line int, code int, run int, company int, currency int,
    create_uid int, write_uid int, amount numeric, date_from date, date_to date);
ANALYZE;
"""

INSERT = """
INSERT INTO {table} (device, line, code, run, company, currency, create_uid,
                     write_uid, amount, date_from, date_to)
SELECT i, i, 1 + i %% 1000, 1, 1, 1, 1, 1, i * 1.5, '2026-01-01', '2026-01-31'
  FROM generate_series(1, %(rows)s) i
"""


def timed_insert(cr, table, rows):
    started = time.perf_counter()
    cr.execute(INSERT.format(table=table), {"rows": rows})
    cr.connection.commit()
    return round(time.perf_counter() - started, 3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100000)
    args = parser.parse_args()
    db = f"mitl_bench_fk_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{db}"')
    try:
        conn = psycopg2.connect(dbname=db)
        with conn.cursor() as cr:
            cr.execute(SETUP, {"rows": args.rows})
            conn.commit()
            # Warm-up: the parents' pages in the cache for every variant.
            cr.execute("SELECT count(*) FROM parent_device, parent_line LIMIT 1")
            result = {"rows": args.rows}
            for table in ("unlogged", "fk0", "fk4", "fk8"):
                result[f"{table}_s"] = timed_insert(cr, table, args.rows)
        conn.close()
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{db}"')
        admin.close()
    result["fk8_vs_unlogged"] = round(
        result["fk8_s"] / max(result["unlogged_s"], 0.001), 1
    )
    result["per_fk_per_100k_s"] = round(
        (result["fk8_s"] - result["fk0_s"]) / 8 * 100000 / args.rows, 3
    )
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
