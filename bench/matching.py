#!/usr/bin/env python3
"""Matching cost against table size (issue 5): GET /api/v1/offers/{id}/matches with 10,
10,000 and 1,000,000 published needs in the table, on PostgreSQL.

    cargo build --release -p api
    python3 bench/matching.py

For each size: a fresh database, the needs loaded by SQL as in bench/platform.py, the server
started, a donor and three education offers (anywhere, Fuxin city 210900, county 210921);
prints the median of 30 sequential requests per offer. Needs psql
(FUPIN_BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres).
"""

import importlib.util
import os
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("platform_bench", os.path.join(HERE, "platform.py"))
pb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pb)
pb.PORT = 18091


def measure(base, n):
    db = f"fupin_bench_matching_{n}"
    url = base.rsplit("/", 1)[0] + "/" + db
    subprocess.run(["psql", "-X", "-q", base, "-c", f"DROP DATABASE IF EXISTS {db}", "-c", f"CREATE DATABASE {db}"], check=True, capture_output=True)
    work = tempfile.mkdtemp(prefix="fupin-matching-")
    server = pb.start_server(url, work)
    try:
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
        villages = ("WITH vs AS (SELECT code, name, row_number() OVER (ORDER BY code) - 1 AS k FROM regions "
                    "WHERE level = 'village'), nv AS (SELECT count(*) AS c FROM vs)")
        sql = pb.rows_sql("now(), now(), now()", villages, f"DATE '{today}' + (i % 300)",
                          f"generate_series(1, {n}) AS i JOIN nv ON true JOIN vs v ON v.k = i % nv.c")
        sql = sql.replace("substr('0000000' || i, -8, 8)", "lpad(i::text, 8, '0')")
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=sql + ";\nVACUUM ANALYZE needs;", text=True, check=True, capture_output=True)
        name = f"matching-{n}"
        pb.http("POST", "/api/v1/accounts", {"username": name, "password": "bench-Donor-2026", "role": "donor"})
        token = pb.http("POST", "/api/v1/auth/token", {"grant_type": "password", "username": name, "password": "bench-Donor-2026"})["access_token"]
        for regions in ([], ["210900"], ["210921"]):
            offer = pb.http("POST", "/api/v1/offers", {"category": "education", "kind": "money", "title": "助学金", "amount_fen": 100000, "region_codes": regions}, token)
            times = []
            for _ in range(30):
                t = time.perf_counter()
                found = pb.http("GET", f"/api/v1/offers/{offer['id']}/matches", None, token)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            label = regions[0] if regions else "anywhere"
            print(f"| {n:,} | {label} | {len(found['items'])} | {times[15]:.2f} |", flush=True)
    finally:
        server.terminate()
        server.wait()


def main():
    base = os.environ.get("FUPIN_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    print("| needs in the table | offer's regions | matches returned | median ms |")
    print("|---:|---|---:|---:|")
    for n in (10, 10_000, 1_000_000):
        measure(base, n)


if __name__ == "__main__":
    main()
