#!/usr/bin/env python3
"""Household import benchmark: `fupin import households` against the database's own raw
load of the same rows into the same tables, on SQLite and PostgreSQL.

    cargo build --release -p api
    python3 bench/import.py                       # 100,000 and 1,000,000 households
    python3 bench/import.py --sizes 100000 --backends sqlite

For each backend and size: a fresh database, `fupin gen households N`, the poor villages
registered (setup, untimed), then
  * fupin: `fupin import households FILE` (parse, validate, encrypt, check duplicates,
    write in batches) -- wall time and the process's peak memory;
  * raw: the rows fupin wrote, loaded into the same tables of a fresh database by the
    database alone: `COPY ... FROM` in one transaction on PostgreSQL, one prepared
    multi-row `INSERT` in one transaction on SQLite (Python's sqlite3 module).
Rates are file rows (one per household member) per second. Needs python3, GNU time, and psql for
PostgreSQL (FUPIN_BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUPIN = os.path.join(ROOT, "target", "release", "fupin")
TABLES = ["households", "household_members", "household_status_changes"]


def run(cmd, env=None, **kw):
    return subprocess.run(cmd, check=True, env=env, **kw)


def timed(cmd, env):
    """Wall seconds and peak RSS (MiB, measured by GNU time) of one command."""
    rss_file = tempfile.mktemp(prefix="fupin-rss-")
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, *cmd], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")
    with open(rss_file) as f:
        rss_kib = int(f.read().split()[-1])
    os.unlink(rss_file)
    return elapsed, rss_kib / 1024


def fupin_env(url, data_dir):
    env = dict(os.environ)
    env.update(FUPIN_DATABASE_URL=url, FUPIN_DATA_DIR=data_dir, FUPIN_ADMIN_PASSWORD="bench-Admin-2026", FUPIN_LOG="warn")
    return env


def psql(url, *args, script=None):
    return run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, *args], input=script, capture_output=True, text=True)


def pg_db(base, name):
    return base.rsplit("/", 1)[0] + "/" + name


def register_villages_sql(codes, now="2026-01-01 00:00:00"):
    rows = []
    for i, code in enumerate(codes):
        rows.append(
            f"('bench-village-{i:05d}','{code}','{code[:6]}',2014,'poor',NULL,2000,150,0,NULL,1,'{now}','{now}')"
        )
    return "INSERT INTO poor_villages VALUES " + ",".join(rows) + ";"


def bench_sqlite(n, work, csv_path, codes, members):
    db = os.path.join(work, "fupin.db")
    env = fupin_env(f"sqlite://{db}", work)
    run([FUPIN, "migrate"], env=env, capture_output=True)
    con = sqlite3.connect(db)
    con.executescript(register_villages_sql(codes))
    con.close()
    t_fupin, rss = timed([FUPIN, "import", "households", csv_path], env)
    # Raw: the same rows into the same tables of a fresh database, one transaction,
    # one prepared multi-row INSERT per table.
    db2 = os.path.join(work, "raw.db")
    env2 = fupin_env(f"sqlite://{db2}", work)
    run([FUPIN, "migrate"], env=env2, capture_output=True)
    src = sqlite3.connect(db)
    data = {t: src.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
    src.close()
    dst = sqlite3.connect(db2, isolation_level=None)
    dst.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
    dst.executescript(register_villages_sql(codes))
    start = time.perf_counter()
    dst.execute("BEGIN")
    for t in TABLES:
        rows = data[t]
        if not rows:
            continue
        width = len(rows[0])
        per = max(1, 32000 // width)
        one = "(" + ",".join("?" * width) + ")"
        full = f"INSERT INTO {t} VALUES " + ",".join([one] * per)
        for i in range(0, len(rows) - len(rows) % per, per):
            dst.execute(full, [v for r in rows[i : i + per] for v in r])
        rest = rows[len(rows) - len(rows) % per :]
        if rest:
            dst.execute(f"INSERT INTO {t} VALUES " + ",".join([one] * len(rest)), [v for r in rest for v in r])
    dst.execute("COMMIT")
    t_raw = time.perf_counter() - start
    dst.close()
    return t_fupin, rss, t_raw


def bench_postgres(n, work, csv_path, codes, members, base):
    name = f"fupin_bench_{n}"
    raw = f"fupin_bench_raw_{n}"
    for db in (name, raw):
        psql(base, "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        psql(base, "-c", f"CREATE DATABASE {db}")
    url = pg_db(base, name)
    env = fupin_env(url, work)
    run([FUPIN, "migrate"], env=env, capture_output=True)
    psql(url, script=register_villages_sql(codes))
    t_fupin, rss = timed([FUPIN, "import", "households", csv_path], env)
    # Raw: COPY the rows fupin wrote out, then COPY them into a fresh database's tables.
    for t in TABLES:
        psql(url, "-c", f"\\copy {t} TO '{os.path.join(work, t + '.copy')}'")
    raw_url = pg_db(base, raw)
    run([FUPIN, "migrate"], env=fupin_env(raw_url, work), capture_output=True)
    psql(raw_url, script=register_villages_sql(codes))
    script = "BEGIN;\n" + "".join(f"\\copy {t} FROM '{os.path.join(work, t + '.copy')}'\n" for t in TABLES) + "COMMIT;\n"
    start = time.perf_counter()
    psql(raw_url, "-c", "SELECT 1")  # connection warm-up excluded below
    start = time.perf_counter()
    run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", raw_url], input=script, text=True, capture_output=True)
    t_raw = time.perf_counter() - start
    for db in (name, raw):
        psql(base, "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    return t_fupin, rss, t_raw


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not os.path.exists(FUPIN):
        sys.exit("build first: cargo build --release -p api")
    base = os.environ.get("FUPIN_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        work = tempfile.mkdtemp(prefix="fupin-bench-")
        try:
            csv_path = os.path.join(work, "households.csv")
            run([FUPIN, "gen", "households", str(n), "--seed", str(args.seed), "--out", csv_path], capture_output=True)
            codes = run([FUPIN, "gen", "villages", str(n), "--seed", str(args.seed)], capture_output=True, text=True).stdout.split()
            with open(csv_path, encoding="utf-8") as f:
                members = sum(1 for _ in f) - 1
            size_mb = os.path.getsize(csv_path) / 1e6
            for backend in args.backends.split(","):
                case_dir = tempfile.mkdtemp(prefix=f"{backend}-", dir=work)
                if backend == "sqlite":
                    t_fupin, rss, t_raw = bench_sqlite(n, case_dir, csv_path, codes, members)
                else:
                    t_fupin, rss, t_raw = bench_postgres(n, case_dir, csv_path, codes, members, base)
                results.append((backend, n, members, size_mb, t_fupin, t_raw, rss))
                print(f"{backend} {n}: fupin {t_fupin:.1f}s, raw {t_raw:.1f}s, peak {rss:.0f} MiB", file=sys.stderr)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print("| backend | households | file rows | file MB | fupin import s | fupin rows/s | raw load s | raw rows/s | fupin / raw | fupin peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend, n, members, size_mb, t_fupin, t_raw, rss in results:
        print(
            f"| {backend} | {n:,} | {members:,} | {size_mb:.0f} | {t_fupin:.1f} | {members / t_fupin:,.0f} | {t_raw:.1f} | {members / t_raw:,.0f} | {t_raw / t_fupin:.2f} | {rss:.0f} |"
        )


if __name__ == "__main__":
    main()
