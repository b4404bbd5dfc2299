#!/usr/bin/env python3
"""The "lead by example" tally (issue 6, task 3): GET /api/v1/individuals/work-units beside
the database computing the same page's tally in one SQL statement, on PostgreSQL.

    cargo build --release -p api
    python3 bench/work_units.py                    # 2,000 units, 200,000 staff
    python3 bench/work_units.py --units 200 --staff 20000

Setup (untimed): a fresh database, the server started (it migrates), then by SQL: one
verified charity, --units verified government departments spread over the counties, --staff
donor accounts each confirmed in one unit (staff i in unit i mod units), 5 donations per
staff member this year, certified and uncertified volunteer hours for a quarter of them, a
campaign joined by a third, pairings for a tenth. Then, 30 sequential requests each, median:
  * the first page (50 units) of the province's tally, as the platform admin;
  * the page after 20 pages (cursor);
  * the units of the first unit's city;
and, for the first page, the same tally as one SQL statement (pgbench, 1 client, prepared).
All of it twice: with PostgreSQL's default planner costs, then with random_page_cost 1.1
(SSD storage or a cached working set, as docker-compose.yml runs it).
Needs psql and pgbench (FUPIN_BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import importlib.util
import os
import re
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("platform_bench", os.path.join(HERE, "platform.py"))
pb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pb)
pb.PORT = 18092


def setup_sql(units, staff, year):
    start = f"DATE '{year}-01-01'"
    return f"""
INSERT INTO organizations (id, kind, subtype, name, credit_code, region_code, contact_name, contact_phone_enc,
    deduction_qualified_years, foundation_name, status, status_reason, created_by, reviewed_by, version, created_at, updated_at)
VALUES ('bench-charity', 'social_organization', 'foundation', '基准基金会', 'BENCHCHARITY000000', '210900', '王五', 'x',
    '', NULL, 'verified', NULL, NULL, NULL, 1, now(), now());
WITH counties AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM regions WHERE level = 'county'),
     nc AS (SELECT count(*) AS c FROM counties)
INSERT INTO organizations (id, kind, subtype, name, credit_code, region_code, contact_name, contact_phone_enc,
    deduction_qualified_years, foundation_name, status, status_reason, created_by, reviewed_by, version, created_at, updated_at)
SELECT 'unit-' || lpad(i::text, 6, '0'), 'government_department', NULL, '单位' || i, 'BENCHUNIT' || lpad(i::text, 9, '0'),
       c.code, '李四', 'x', '', NULL, 'verified', NULL, NULL, NULL, 1, now(), now()
FROM generate_series(0, {units} - 1) AS i JOIN nc ON true JOIN counties c ON c.k = i % nc.c;
INSERT INTO users (id, username, password_hash, role, disabled, created_at, updated_at)
SELECT 'staff-' || lpad(i::text, 8, '0'), 'staff-' || lpad(i::text, 8, '0'), 'x', 'donor', false, now(), now()
FROM generate_series(0, {staff} - 1) AS i;
INSERT INTO staff_affiliations (user_id, organization_id, status, claimed_at, decided_by, decided_at)
SELECT 'staff-' || lpad(i::text, 8, '0'), 'unit-' || lpad((i % {units})::text, 6, '0'), 'confirmed', now(), 'admin', now()
FROM generate_series(0, {staff} - 1) AS i;
INSERT INTO donations (id, donor_id, organization_id, kind, amount_fen, donated_on, receipt_number, deductible,
    deductible_fen, non_deductible_fen, issued_at, status, created_at)
SELECT 'gift-' || lpad(i::text, 9, '0'), 'staff-' || lpad((i % {staff})::text, 8, '0'), 'bench-charity', 'money',
       1000 + i % 5000, {start} + (i % 330), 'R' || i, false, 0, 1000 + i % 5000, now(), 'confirmed', now()
FROM generate_series(0, 5 * {staff} - 1) AS i;
INSERT INTO volunteer_activities (id, organization_id, activity_type, title, village_codes, starts_on, ends_on, created_by, created_at)
VALUES ('bench-activity', 'bench-charity', 'teaching', '支教', '210921100202', {start}, {start} + 364, 'admin', now());
INSERT INTO volunteers (user_id, kind, skills, region_code, created_at, updated_at)
SELECT 'staff-' || lpad(i::text, 8, '0'), 'professional', '', NULL, now(), now()
FROM generate_series(0, {staff} - 1, 4) AS i;
INSERT INTO volunteer_hours (id, activity_id, volunteer_id, served_on, tenths, certified_by, certified_at, created_at)
SELECT 'hours-' || lpad(i::text, 9, '0'), 'bench-activity', 'staff-' || lpad((4 * (i % ({staff} / 4)))::text, 8, '0'),
       {start} + (i % 330), 10 + i % 30, CASE WHEN i % 7 = 0 THEN NULL ELSE 'admin' END,
       CASE WHEN i % 7 = 0 THEN NULL ELSE now() END, now()
FROM generate_series(0, {staff} - 1) AS i;
INSERT INTO campaigns (id, brand_id, organization_id, kind, title, goal_fen, starts_on, ends_on, region_codes, created_by, created_at)
VALUES ('bench-campaign', 'brand-hope-project', 'bench-charity', 'visiting', '访贫慰问', 100000000, {start}, {start} + 364, '210900', 'admin', now());
INSERT INTO campaign_participants (campaign_id, user_id, joined_at)
SELECT 'bench-campaign', 'staff-' || lpad(i::text, 8, '0'), {start} + (i % 330)
FROM generate_series(0, {staff} - 1, 3) AS i;
INSERT INTO pairings (id, participant_id, region_code, county_code, pseudonym, place_name, kind, status, starts_on,
    participant_consented_at, household_consented_at, version, created_at, updated_at)
SELECT 'pairing-' || lpad(i::text, 8, '0'), 'staff-' || lpad(i::text, 8, '0'), '210921100202', '210921', '户-1', '村',
       'kinship', 'active', {start}, now(), now(), 1, now(), now()
FROM generate_series(0, {staff} - 1, 10) AS i;
VACUUM ANALYZE;
"""


def raw_sql(year, after):
    """The same tally as one statement: the page of units, their confirmed staff, and each
    form looked up per person through the same indexes fupin uses (LATERAL joins)."""
    lo, hi = f"DATE '{year}-01-01'", f"DATE '{year}-12-31'"
    ts_lo, ts_hi = f"TIMESTAMP '{year - 1}-12-31 16:00'", f"TIMESTAMP '{year}-12-31 16:00'"
    return f"""WITH units AS (
  SELECT o.id FROM organizations o
  WHERE EXISTS (SELECT 1 FROM staff_affiliations a WHERE a.organization_id = o.id AND a.status = 'confirmed')
    AND o.id > '{after}'
  ORDER BY o.id LIMIT 51),
people AS (
  SELECT a.organization_id, a.user_id, d.n AS gifts, d.fen, h.t, p.n AS pairings, l.n AS pledges, c.n AS joined
  FROM units u JOIN staff_affiliations a ON a.organization_id = u.id AND a.status = 'confirmed'
  CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS fen FROM donations
    WHERE donor_id = a.user_id AND donated_on BETWEEN {lo} AND {hi} AND status = 'confirmed') d
  CROSS JOIN LATERAL (SELECT coalesce(sum(tenths), 0) AS t FROM volunteer_hours
    WHERE volunteer_id = a.user_id AND served_on BETWEEN {lo} AND {hi} AND certified_at IS NOT NULL) h
  CROSS JOIN LATERAL (SELECT count(*) AS n FROM pairings WHERE participant_id = a.user_id
    AND status IN ('active', 'ended') AND starts_on <= {hi} AND (ends_on IS NULL OR ends_on >= {lo})) p
  CROSS JOIN LATERAL (SELECT count(*) AS n FROM pledges WHERE pledger_id = a.user_id AND status = 'confirmed'
    AND confirmed_at >= {ts_lo} AND confirmed_at < {ts_hi}) l
  CROSS JOIN LATERAL (SELECT count(*) AS n FROM campaign_participants WHERE user_id = a.user_id
    AND joined_at >= {ts_lo} AND joined_at < {ts_hi}) c)
SELECT o.id, o.name, o.kind, o.region_code, count(*) AS staff,
  count(*) FILTER (WHERE gifts > 0 OR t > 0 OR pairings > 0 OR pledges > 0 OR joined > 0),
  sum(gifts), sum(fen), sum(t), sum(pairings), sum(pledges), sum(joined)
FROM people JOIN organizations o ON o.id = people.organization_id
GROUP BY o.id, o.name, o.kind, o.region_code ORDER BY o.id;
"""


def median_ms(path, token, n=30):
    times = []
    body = None
    for _ in range(n):
        t = time.perf_counter()
        body = pb.http("GET", path, None, token)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[n // 2], body


def measure(url, year, label):
    """Times the three requests and the raw statement; checks the first page against SQL."""
    token = pb.http("POST", "/api/v1/auth/token", {"grant_type": "password", "username": "admin",
                                                    "password": "bench-Admin-2026"})["access_token"]
    path = f"/api/v1/individuals/work-units?year={year}&limit=50"
    first, page = median_ms(path, token)
    cursor = page["next_cursor"]
    for _ in range(19):
        if cursor:
            cursor = pb.http("GET", path + f"&cursor={cursor}", None, token)["next_cursor"]
    deep = median_ms(path + f"&cursor={cursor}", token)[0] if cursor else float("nan")
    city_code = page["items"][0]["region_code"][:4] + "00"
    city, city_page = median_ms(path + f"&region={city_code}", token)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(raw_sql(year, ""))
    out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-c1", "-j1", "-T10", "-f", f.name, url],
                         check=True, capture_output=True, text=True).stdout
    os.unlink(f.name)
    raw = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    # The numbers must be the database's own: compare every unit of the first page.
    rows = subprocess.run(["psql", "-X", "-A", "-t", "-F", "|", url], input=raw_sql(year, ""), text=True,
                          check=True, capture_output=True).stdout.split()
    expected = [(r[0], *map(int, r[4:])) for r in (row.split("|") for row in rows)][:50]
    got = [(u["organization_id"], u["staff"], u["participating_staff"], u["donations"], u["donated_fen"],
            round(u["volunteer_hours"] * 10), u["pairings"], u["confirmed_pledges"], u["campaigns_joined"])
           for u in page["items"]]
    if got != expected:
        raise SystemExit(f"fupin and SQL disagree:\n{got[:3]}\n{expected[:3]}")
    print(f"| {label} | first page, 50 units | {first:.1f} | {raw:.1f} | {raw / first:.2f} |")
    print(f"| {label} | page 21 | {deep:.1f} | – | – |")
    print(f"| {label} | one city ({city_code}), {len(city_page['items'])} units | {city:.1f} | – | – |", flush=True)
    return page


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--staff", type=int, default=200_000)
    args = ap.parse_args()
    base = os.environ.get("FUPIN_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    db = "fupin_bench_work_units"
    url = base.rsplit("/", 1)[0] + "/" + db
    subprocess.run(["psql", "-X", "-q", base, "-c", f"DROP DATABASE IF EXISTS {db}", "-c", f"CREATE DATABASE {db}"],
                   check=True, capture_output=True)
    work = tempfile.mkdtemp(prefix="fupin-work-units-")
    year = int(time.strftime("%Y", time.gmtime(time.time() + 8 * 3600)))
    server = pb.start_server(url, work)
    try:
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=setup_sql(args.units, args.staff, year),
                       text=True, check=True, capture_output=True)
        print(f"{args.units:,} units, {args.staff:,} staff, {5 * args.staff:,} donations; every unit of each first "
              "page agrees with the single-statement tally.")
        print("| planner costs | request | fupin median ms | raw SQL ms | raw ÷ fupin |")
        print("|---|---|---:|---:|---:|")
        measure(url, year, "default (random_page_cost 4)")
        # The same with the cost of a random read set for SSDs or a cached working set, as
        # docker-compose.yml runs PostgreSQL; new connections (a restarted server) take it.
        subprocess.run(["psql", "-X", "-q", base, "-c", f"ALTER DATABASE {db} SET random_page_cost = 1.1"],
                       check=True, capture_output=True)
        server.terminate()
        server.wait()
        server = pb.start_server(url, work)
        measure(url, year, "SSD (random_page_cost 1.1)")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
