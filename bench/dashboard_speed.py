"""`python -m bench.dashboard_speed`: how fast the dashboard and the stats API answer on
a large generated data set (default 1 million events over 90 days) in SQLite. The
events go through the collector's own checks and derivations (wire schema, referrer,
campaign, device, country, visits) and are stored in bulk (see `load`); each view is then asked
`--repeats` times in-process through Flask's test client (server time, no network),
reported as median and p95 in ms; and once more "cold", with nothing kept in the process
(dashboard/slice_cache.py), as after a restart or when one of its slices was summed again."""

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from candor_server.collector import beacons as collector
from candor_server.collector import visits, wire
from candor_server.dashboard import rollups, slice_cache
from candor_server.storage import db, tables
from demo_site import create_app
from service_harness.postgresql import PostgresCluster

from .stats import summary
from .storage_load import POSTGRESQL_SETTINGS
from .traffic import generate, wire_body

DAY_MS = 86_400_000
EVENTS_PER_VISITOR = 2.9  # what the generator produces on average
CHUNK = 20_000
PART_EVENTS = 1_000_000
GOAL_MS = 300
PASSWORD = "bench"
SITES = {"demo": {"origins": ["self"]}}
PAGES = (
    ("dashboard, today", "/dashboard?period=day"),
    ("dashboard, 7 days", "/dashboard?period=7d"),
    ("dashboard, 30 days", "/dashboard?period=30d"),
    ("dashboard, 90 days", "/dashboard?period=90d"),
    ("dashboard, today, source filter", "/dashboard?period=day&filters=visit:source%3D%3DGoogle"),
    ("dashboard, 30 days, source filter", "/dashboard?period=30d&filters=visit:source%3D%3DGoogle"),
    ("dashboard, 90 days, source filter", "/dashboard?period=90d&filters=visit:source%3D%3DGoogle"),
    ("dashboard, 30 days, page + country filter",
     "/dashboard?period=30d&filters=event:page%3D%3D/pricing;visit:country%3D%3DFR"),
    ("dashboard, 30 days, funnel", "/dashboard?period=30d&funnel=page:/pricing,page:/signup,event:signup"),
    ("dashboard, 30 days, event filter with its props", "/dashboard?period=30d&filters=event:name%3D%3Dsignup"),
    ("dashboard, 30 days, props filter", "/dashboard?period=30d&filters=event:props:plan%3D%3Dpro"),
    ("chart, 30 days", "/dashboard/traffic.svg?period=30d"),
    ("chart, 90 days", "/dashboard/traffic.svg?period=90d"),
    ("CSV of pages, 30 days", "/dashboard/export/event:page.csv?period=30d"),
    ("API aggregate, 30 days, compared", "/api/v1/stats/aggregate?site_id=demo&period=30d"
     "&metrics=visitors,visits,pageviews,bounce_rate,visit_duration&compare=previous_period"),
    ("API timeseries, 30 days", "/api/v1/stats/timeseries?site_id=demo&period=30d&metrics=visitors,pageviews"),
    ("API breakdown sources, 30 days", "/api/v1/stats/breakdown?site_id=demo&period=30d&property=visit:source"),
    ("API breakdown pages, 90 days", "/api/v1/stats/breakdown?site_id=demo&period=90d&property=event:page"),
)


def load(app, beacons, first_visit_id=1):
    """Store generated beacons as /collect would, in bulk: each beacon is checked by the wire
    schema and derived by the collector's own functions (`with_session_data`, the visit rule
    `visits.continues`, `visits.visitor_key`), and visits are formed in memory the way
    `storage.db` forms them one beacon at a time, then everything is written in a few large
    inserts (a beacon at a time through SQLAlchemy would take most of an hour here)."""
    latest, visit_rows, event_rows = {}, [], []
    for beacon in beacons:
        checked = wire.parse_body(json.dumps(wire_body(beacon)).encode("utf-8"))
        events, facts = collector.with_session_data(checked.events, beacon.user_agent, Counter())
        visitor, at = visits.visitor_key(checked.uid), beacon.received_at
        counted = [fields for fields in events if fields["type"] in visits.COUNTED_TYPES]
        current = latest.get(checked.uid)
        if counted and (current is None or not visits.continues(current["ended_at"], at)):
            current = {"id": first_visit_id + len(visit_rows), "site": checked.site, "uid": checked.uid, "visitor": visitor,
                       "started_at": at, "ended_at": at, "page_views": 0, "events": 0, "exit_path": None,
                       **{fact: facts[fact] for fact in db.VISIT_FACTS}}
            visit_rows.append(current)
            latest[checked.uid] = current
        for fields in counted:
            current["ended_at"] = at
            if fields["type"] == "page":
                current["page_views"] += 1
                current["exit_path"] = fields["path"]
            else:
                current["events"] += 1
        event_rows += [{**fields, "site": checked.site, "uid": checked.uid, "received_at": at, "visitor": visitor,
                        "visit_id": current["id"] if fields["type"] in visits.COUNTED_TYPES else None}
                       for fields in events]
    with app.app_context(), db.engine().begin() as connection:
        for table, rows in ((tables.visit, visit_rows), (tables.event, event_rows)):
            for start in range(0, len(rows), CHUNK):
                connection.execute(table.insert(), rows[start:start + CHUNK])
    return len(visit_rows)


def measure(events, repeats, data_dir, database_url=None, seed=15):
    """Generate and load the data set unless the database already holds one (from an earlier
    run the same UTC day: the traffic ends at the moment it was generated), roll up the closed
    days, then time each view. The data set is made a million events at a time (each part its
    own visitors, so visits never span two parts), which keeps memory flat at any size."""
    now_ms = int(time.time() * 1000)
    app = create_app({"DATA_DIR": str(data_dir), "SITES": SITES, "DASHBOARD_PASSWORD": PASSWORD,
                      "API_RATE_LIMIT": "1000000 per minute",
                      **({"DATABASE_URL": database_url} if database_url else {})})
    with app.app_context():
        reused = db.count_events() > 0
    generated = loaded = 0.0
    beacon_count, next_visit_id = 0, 1
    parts = 0 if reused else max(1, round(events / PART_EVENTS))
    for part in range(parts):
        started = time.monotonic()
        beacons = generate(seed + part, int(events / EVENTS_PER_VISITOR / parts), now_ms - 89 * DAY_MS, now_ms)
        made = time.monotonic()
        next_visit_id += load(app, beacons, next_visit_id)
        generated, loaded = generated + made - started, loaded + time.monotonic() - made
        beacon_count += len(beacons)
        del beacons
    with app.app_context(), db.engine().connect() as connection:
        if connection.dialect.name == "postgresql":  # what autovacuum would have done by now
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    started = time.monotonic()
    with app.app_context():
        rolled_slices = sum(rollups.roll_window(site) for site in SITES)
    rolled = time.monotonic() - started
    client = app.test_client()
    client.post("/dashboard/login", data={"password": PASSWORD})
    created = client.post("/dashboard/tokens?site=demo", data={"name": "bench"}).get_data(as_text=True)
    token = created.split('<code id="new-token">', 1)[1].split("<", 1)[0]
    with app.app_context():
        stored = db.count_events()
    timings = {}
    for label, url in PAGES:
        headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else {}
        samples = [timed_get(client, url, headers) for _ in range(repeats + 1)]
        timings[label] = {key: round(value, 1) if key != "n" else value
                          for key, value in summary(samples[1:]).items()}  # the first fills SQLite's cache
        slice_cache.clear()
        timings[label]["cold"] = round(timed_get(client, url, headers), 1)
    return {"events": stored, "database": app.extensions["candor_storage"].dialect.name, "beacons": beacon_count,
            "generate_seconds": round(generated, 1),
            "load_seconds": round(loaded, 1), "rolled_slices": rolled_slices, "rollup_seconds": round(rolled, 1),
            "goal_ms": GOAL_MS, "timings": timings}


def timed_get(client, url, headers):
    """How long a GET takes, in ms; a view that does not answer 200 stops the bench."""
    begin = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - begin) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.get_data(as_text=True)[:200]}")
    return elapsed


def render(result):
    lines = [f"{result['events']:,} events stored (generated in {result['generate_seconds']} s,"
             f" loaded in {result['load_seconds']} s); {result['rolled_slices']} closed days and hours summed in"
             f" {result['rollup_seconds']} s", "",
             "| view | median ms | p95 ms | under 300 ms | cold ms |", "| --- | ---: | ---: | :---: | ---: |"]
    for label, timing in result["timings"].items():
        under = "yes" if timing["p95"] < GOAL_MS else "no"
        lines.append(f"| {label} | {timing['median']} | {timing['p95']} | {under} | {timing['cold']} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard_speed", description=__doc__.split(":", 1)[1])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--data-dir", type=Path, help="keep the data set here, and reuse one found here (same UTC day only)")
    parser.add_argument("--postgresql", action="store_true", help="store in a PostgreSQL cluster started for the run")
    parser.add_argument("--database-url", help="store in this database instead, and reuse a data set found there (same UTC day only)")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        data_dir = args.data_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="candor-dashboard-bench-")))
        data_dir.mkdir(parents=True, exist_ok=True)
        database_url = args.database_url
        if args.postgresql and not database_url:
            cluster = PostgresCluster(POSTGRESQL_SETTINGS)
            stack.callback(cluster.stop)
            database_url = cluster.create_database("candor_dashboard_bench")
        result = measure(args.events, args.repeats, data_dir, database_url)
    print(render(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
