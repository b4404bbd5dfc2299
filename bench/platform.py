#!/usr/bin/env python3
"""Platform benchmark (issue 5): public need reads and pledges through fupin, beside the
database's own rate for the same queries, at the same concurrency, in the same run.

    cargo build --release -p api
    python3 bench/platform.py                              # 1,000,000 needs, both backends
    python3 bench/platform.py --needs 100000 --backends sqlite

For each backend: a fresh database, `fupin migrate`, N published needs spread over the real
Liaoning villages loaded by SQL (setup, untimed), the server started, then with wrk
(`bench/wrk/*.lua`) for --seconds each:
  * single: GET /api/v1/public/needs/{random id} over 10,000 hot ids (served mostly from
    the 5-second cache of rendered public needs) and over 200,000 ids (mostly from the
    database); raw: the same SELECT by primary key over all N ids
    (pgbench custom script on PostgreSQL; a prepared-statement loop per thread with
    Python's sqlite3 on SQLite);
  * first page: GET /api/v1/public/needs?category=education&region=<a city>&limit=50, and
    the same list 100 pages deep (cursor); raw: the same SELECT of the first page;
  * pledges: POST /api/v1/pledges of 1 fen by 64 clients, all on one need, and on random
    needs of 10,000.
Reads use --connections (default 16) for fupin and for the raw baseline alike. Needs wrk,
pgbench and psql (FUPIN_BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUPIN = os.path.join(ROOT, "target", "release", "fupin")
WRK = os.path.join(ROOT, "bench", "wrk")
PORT = 18089
CITY = "210900"
DEEP_PAGE = 100
COLUMNS = ("id, region_code, township_code, county_code, city_code, place_name, pseudonym, cause, category, "
           "target_group, title, description, unit, asked, pledged, urgency, urgency_rank, deadline, evidence, status, "
           "listed, version, created_at, updated_at, published_at")
CATEGORIES = ["education", "medical", "housing", "production", "employment", "training", "daily_necessities", "infrastructure", "other"]
GROUPS = ["left_behind_women", "children", "elderly", "disabled"]
URGENCY = ["high", "medium", "low"]
PAGE_SQL = ("SELECT * FROM needs WHERE listed = true AND deadline >= '{today}' AND city_code = '{city}' "
            "AND category = 'education' ORDER BY urgency_rank, deadline, id LIMIT 51")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def need_id(i):
    return f"bench-{i:08d}"


def rows_sql(select_i, villages_cte, deadline, extra_from=""):
    """An INSERT ... SELECT generating the needs from integers i and a villages table v."""
    cat = " ".join(f"WHEN {k} THEN '{c}'" for k, c in enumerate(CATEGORIES))
    grp = " ".join(f"WHEN {k} THEN '{g}'" for k, g in enumerate(GROUPS))
    urg = " ".join(f"WHEN {k} THEN '{u}'" for k, u in enumerate(URGENCY))
    return f"""{villages_cte}
INSERT INTO needs ({COLUMNS})
SELECT 'bench-' || substr('0000000' || i, -8, 8), v.code, substr(v.code, 1, 9) || '000', substr(v.code, 1, 6),
       substr(v.code, 1, 4) || '00', v.name, '户-' || (i % 999983), 'illness',
       CASE i % 9 {cat} END, CASE i % 5 {grp} ELSE NULL END, '冬季校服', '每人一套', NULL, 1000000000000, 0,
       CASE i % 3 {urg} END, i % 3, {deadline}, '[]', 'published', true, 1,
       {select_i}
FROM {extra_from}"""


def wrk(url, seconds, connections, script=None, env=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", os.path.join(WRK, script)]
    out = run(cmd + [url], capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, float(p50.group(1)) * scale, int(non2xx.group(1)) if non2xx else 0


def pgbench(url, script, seconds, clients):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    out = run(["pgbench", "-n", "-M", "prepared", f"-c{clients}", "-j2", f"-T{seconds}", "-f", f.name, url],
              capture_output=True, text=True).stdout
    os.unlink(f.name)
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    lat = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return tps, lat


def sqlite_loop(db, sql, params, seconds, threads):
    """Runs a prepared SELECT in a loop on `threads` connections; queries per second."""
    counts = [0] * threads
    stop = time.monotonic() + seconds

    def worker(k):
        con = sqlite3.connect(db, check_same_thread=False)
        n = 0
        while time.monotonic() < stop:
            con.execute(sql, params(n)).fetchall()
            n += 1
        counts[k] = n

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / seconds


def http(method, path, body=None, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def start_server(url, work):
    env = {**os.environ, "FUPIN_DATABASE_URL": url, "FUPIN_DATA_DIR": work, "FUPIN_BIND": f"127.0.0.1:{PORT}",
           "FUPIN_ADMIN_PASSWORD": "bench-Admin-2026", "FUPIN_RATE_LIMIT": "100000000", "FUPIN_LOG": "error"}
    server = subprocess.Popen([FUPIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health/ready")
            return server
        except Exception:
            time.sleep(0.5)
    server.kill()
    sys.exit("server did not become ready")


def measure(backend, n, seconds, conns, raw_single, raw_page, work):
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    ids_file = os.path.join(work, "ids.txt")
    with open(ids_file, "w") as f:
        for k in range(10000):
            f.write(need_id((k * 7919) % n + 1) + "\n")
    wide_file = os.path.join(work, "wide.txt")
    with open(wide_file, "w") as f:
        for k in range(200000):
            f.write(need_id((k * 104729) % n + 1) + "\n")
    one_file = os.path.join(work, "one.txt")
    with open(one_file, "w") as f:
        f.write(need_id(1) + "\n")
    results = []
    rate, p50, bad = wrk(f"http://127.0.0.1:{PORT}", seconds, conns, "get_ids.lua",
                         {"IDS": ids_file, "PREFIX": "/api/v1/public/needs/"})
    raw = raw_single()
    results.append(("GET /public/needs/{id}, 10,000 hot ids", rate, p50, bad, raw))
    rate, p50, bad = wrk(f"http://127.0.0.1:{PORT}", seconds, conns, "get_ids.lua",
                         {"IDS": wide_file, "PREFIX": "/api/v1/public/needs/"})
    results.append(("GET /public/needs/{id}, 200,000 ids (mostly uncached)", rate, p50, bad, raw))
    first = f"/api/v1/public/needs?category=education&region={CITY}&limit=50"
    rate, p50, bad = wrk(f"http://127.0.0.1:{PORT}{first}", seconds, conns)
    raw = raw_page()
    results.append(("first page (education, one city)", rate, p50, bad, raw))
    path, depth = first, 1
    while depth < DEEP_PAGE:
        cursor = http("GET", path)["next_cursor"]
        if cursor is None:
            break
        path, depth = f"{first}&cursor={cursor}", depth + 1
    rate, p50, bad = wrk(f"http://127.0.0.1:{PORT}{path}", seconds, conns)
    results.append((f"page {depth} of the same list", rate, p50, bad, None))
    donor = f"bench-donor-{backend}"
    http("POST", "/api/v1/accounts", {"username": donor, "password": "bench-Donor-2026", "role": "donor"})
    token = http("POST", "/api/v1/auth/token", {"grant_type": "password", "username": donor, "password": "bench-Donor-2026"})["access_token"]
    for label, ids in (("pledges, 64 clients, one need", one_file), ("pledges, 64 clients, 10,000 needs", ids_file)):
        rate, p50, bad = wrk(f"http://127.0.0.1:{PORT}", seconds, 64, "pledge.lua", {"IDS": ids, "TOKEN": token})
        results.append((label, rate, p50, bad, None))
    return results


def bench_sqlite(n, seconds, conns, work):
    db = os.path.join(work, "fupin.db")
    url = f"sqlite://{db}"
    server = start_server(url, work)
    server.terminate()
    server.wait()
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    con = sqlite3.connect(db)
    villages = "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %d), " % n + \
        "vs AS (SELECT code, name, row_number() OVER (ORDER BY code) - 1 AS k FROM regions WHERE level = 'village'), " + \
        "nv AS (SELECT count(*) AS c FROM vs)"
    sql = rows_sql("datetime('now'), datetime('now'), datetime('now')", villages, f"date('{today}', '+' || (i % 300) || ' days')",
                   "seq JOIN nv JOIN vs v ON v.k = seq.i % nv.c")
    t = time.time()
    con.executescript("BEGIN;" + sql + ";COMMIT;ANALYZE;")
    con.close()
    print(f"sqlite: {n} needs loaded in {time.time() - t:.0f} s", flush=True)
    server = start_server(url, work)
    try:
        single = lambda: sqlite_loop(db, "SELECT * FROM needs WHERE id = ?", lambda k: (need_id((k * 7919) % n + 1),), seconds, conns)
        page = lambda: sqlite_loop(db, PAGE_SQL.format(today=today, city=CITY).replace("true", "1"), lambda k: (), seconds, conns)
        return measure("sqlite", n, seconds, conns, single, page, work)
    finally:
        server.terminate()
        server.wait()


def bench_postgres(n, seconds, conns, work, base):
    url = base.rsplit("/", 1)[0] + "/fupin_bench_platform"
    run(["psql", "-X", "-q", base, "-c", "DROP DATABASE IF EXISTS fupin_bench_platform", "-c", "CREATE DATABASE fupin_bench_platform"], capture_output=True)
    server = start_server(url, work)
    server.terminate()
    server.wait()
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    villages = "WITH vs AS (SELECT code, name, row_number() OVER (ORDER BY code) - 1 AS k FROM regions WHERE level = 'village'), " \
               "nv AS (SELECT count(*) AS c FROM vs)"
    sql = rows_sql("now(), now(), now()", villages, f"DATE '{today}' + (i % 300)",
                   f"generate_series(1, {n}) AS i JOIN nv ON true JOIN vs v ON v.k = i % nv.c")
    sql = sql.replace("substr('0000000' || i, -8, 8)", "lpad(i::text, 8, '0')")
    t = time.time()
    run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=sql + ";\nVACUUM ANALYZE needs;", text=True, capture_output=True)
    print(f"postgres: {n} needs loaded in {time.time() - t:.0f} s", flush=True)
    server = start_server(url, work)
    try:
        single = lambda: pgbench(url, f"\\set k random(1, {n})\nSELECT * FROM needs WHERE id = 'bench-' || lpad(:k::text, 8, '0');\n", seconds, conns)[0]
        page = lambda: pgbench(url, PAGE_SQL.format(today=today, city=CITY) + ";\n", seconds, conns)[0]
        return measure("postgres", n, seconds, conns, single, page, work)
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--needs", type=int, default=1_000_000)
    ap.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=16)
    a = ap.parse_args()
    base = os.environ.get("FUPIN_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    print("| backend | needs | measurement | fupin req/s | fupin p50 ms | non-2xx | raw q/s | fupin / raw |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for backend in a.backends:
        work = tempfile.mkdtemp(prefix=f"fupin-platform-{backend}-")
        try:
            rows = (bench_sqlite(a.needs, a.seconds, a.connections, work) if backend == "sqlite"
                    else bench_postgres(a.needs, a.seconds, a.connections, work, base))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for label, rate, p50, bad, raw in rows:
            raw_s = f"{raw:,.0f}" if raw else "–"
            ratio = f"{rate / raw:.2f}" if raw else "–"
            print(f"| {backend} | {a.needs:,} | {label} | {rate:,.0f} | {p50:.2f} | {bad} | {raw_s} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
