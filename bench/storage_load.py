"""Storage and scale-out: the collector on SQLite and on PostgreSQL, on one gunicorn node and
on two sharing the database (and Redis for the rate limit), each node driven by its own wrk
with beacons.lua; beacons per second, latency, CPU milliseconds per beacon in the nodes and in
PostgreSQL, and an id-by-id check that every accepted beacon was stored once. Then the
dashboard's queries on generated events in PostgreSQL.

`python -m bench.storage_load` writes the "storage" section of bench/results.json.
One machine runs everything here, load generator included: two nodes share its cores, so the
two-node rows show that nodes add up without losing or doubling events, not what a second
machine would add.
"""

import argparse
import json
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import text

from candor_server.storage import db
from demo_site import create_app
from service_harness.collector_nodes import CollectorNode, node_environment
from service_harness.postgresql import PostgresCluster
from service_harness.redis_server import RedisServer

from .collector_load import ORIGIN, RATE_LIMIT_ENV, SITE, count_check, run_wrk, stored_sequences, throughput

RESULTS = Path(__file__).resolve().parent / "results.json"

WORKERS_PER_NODE = 2
CONNECTIONS_PER_NODE = 4
# Comparable durability on both sides: SQLite runs WAL with synchronous=NORMAL (a commit survives
# a crash of the server, not of the machine); PostgreSQL with synchronous_commit=off gives the same.
POSTGRESQL_SETTINGS = {"fsync": "on", "full_page_writes": "on", "synchronous_commit": "off",
                       "max_connections": "100", "shared_buffers": "256MB"}
DASHBOARD_DAYS = 90
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root_pid):
    """User and system CPU time of a process and all its descendants, from /proc."""
    children, times = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    total, pending = 0.0, [root_pid]
    while pending:
        pid = pending.pop()
        total += times.get(pid, 0.0)
        pending.extend(children.get(pid, []))
    return total


def postmaster_pid(cluster):
    return int((cluster.data / "postmaster.pid").read_text().split()[0])


def run_case(name, nodes_count, seconds, folder, database_url, redis_url, cluster):
    """Start the nodes, drive each with its own wrk at once, stop them; the case's numbers."""
    nodes = [CollectorNode(node_environment(Path(folder) / f"{name}-{index}", {SITE: {"origins": [ORIGIN]}},
                                            DATABASE_URL=database_url, RATE_LIMIT_STORAGE=redis_url,
                                            **{key[len("CANDOR_"):]: value for key, value in RATE_LIMIT_ENV.items()}),
                           WORKERS_PER_NODE)
             for index in range(nodes_count)]
    run_ids = [secrets.token_hex(4) for _ in nodes]
    reports = [None] * len(nodes)
    try:
        cpu_before = [cpu_seconds(node.process.pid) for node in nodes]
        database_before = cpu_seconds(postmaster_pid(cluster)) if cluster else 0.0

        def drive(index):
            reports[index] = run_wrk(nodes[index].port, seconds, CONNECTIONS_PER_NODE, run_ids[index])

        drivers = [threading.Thread(target=drive, args=(index,)) for index in range(len(nodes))]
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()
        node_cpu = sum(cpu_seconds(node.process.pid) for node in nodes) - sum(cpu_before)
        database_cpu = (cpu_seconds(postmaster_pid(cluster)) - database_before) if cluster else None
    finally:
        for node in nodes:
            node.stop()
    per_node = [throughput(report) for report in reports]
    environment = {"CANDOR_DATABASE_URL": database_url, "CANDOR_DATA_DIR": str(folder)}
    checks = [count_check(report, stored_sequences(environment, run_id)) for report, run_id in zip(reports, run_ids)]
    accepted = sum(check["accepted_204"] for check in checks)
    return {
        "nodes": nodes_count,
        "accepted_per_s": sum(node["accepted_per_s"] for node in per_node),
        "latency_ms": {"p50": max(node["latency_ms"]["p50"] for node in per_node),
                       "p99": max(node["latency_ms"]["p99"] for node in per_node)},
        "per_node": per_node,
        "cpu_ms_per_beacon": {"nodes": 1000 * node_cpu / max(accepted, 1),
                              "postgresql": None if database_cpu is None else 1000 * database_cpu / max(accepted, 1)},
        "count_check": {key: sum(check[key] for check in checks) for key in checks[0]},
    }


def generate_events(app, total, now_ms):
    """`total` page views spread over the last 90 days, in the site's partitions, generated by
    PostgreSQL itself (one INSERT … SELECT): 500 pages, 5 referrer types, 6 browsers; no title,
    attributes or language, so rows are smaller than real ones."""
    day_ms = 86_400_000
    with app.app_context(), db.engine().begin() as connection:
        for offset in range(DASHBOARD_DAYS + 1):
            start = now_ms - now_ms % day_ms - offset * day_ms
            name = "event_" + time.strftime("%Y%m%d", time.gmtime(start / 1000))
            connection.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF event"
                                       f" FOR VALUES FROM ({start}) TO ({start + day_ms})")
        connection.execute(text(
            "INSERT INTO event (id, site, uid, type, ts, url, received_at, ref_type, ref_source, browser)"
            " SELECT 'gen-' || n, 'demo', md5((n % 100000)::text), 'page', :now - (n::bigint * :span / :total),"
            " 'https://demo.example/article/' || (n % 500),"
            " :now - (n::bigint * :span / :total),"
            " (ARRAY['direct','search','social','internal','other'])[1 + n % 5],"
            " (ARRAY['Google','Bing','DuckDuckGo',NULL,NULL])[1 + n % 5],"
            " (ARRAY['Chrome','Firefox','Safari','Edge','Samsung Internet','Other'])[1 + n % 6]"
            " FROM generate_series(1, :total) AS n"),
            {"now": now_ms, "span": DASHBOARD_DAYS * day_ms - 1, "total": total})
        connection.exec_driver_sql("ANALYZE event")


def dashboard_query_times(cluster, total, repeats=3):
    """Each query the dashboard page runs, on `total` generated events: best of `repeats`, in ms."""
    database = cluster.create_database(f"dashboard_{total}")
    with tempfile.TemporaryDirectory(prefix="candor-bench-dashboard-") as folder:
        app = create_app({"DATA_DIR": folder, "DATABASE_URL": database, "DASHBOARD_PASSWORD": "bench"})
        now_ms = int(time.time() * 1000)
        started = time.monotonic()
        generate_events(app, total, now_ms)
        generated_s = time.monotonic() - started
        with app.app_context(), db.engine().connect() as connection:
            stored_bytes = connection.scalar(text(
                "SELECT SUM(pg_total_relation_size(inhrelid)) FROM pg_inherits"
                " WHERE inhparent = 'event'::regclass"))
        since = now_ms - DASHBOARD_DAYS * 86_400_000
        queries = {
            "page views per day": lambda: db.page_views_per_day("demo", since),
            "top pages": lambda: db.page_view_counts("demo", since, "url", 10),
            "referrer types": lambda: db.page_view_counts("demo", since, "ref_type", 10),
            "search engines": lambda: db.page_view_counts("demo", since, "ref_source", 10, ref_type="search"),
            "browsers": lambda: db.page_view_counts("demo", since, "browser", 10),
        }
        times = {}
        with app.app_context():
            for name, query in queries.items():
                runs = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    query()
                    runs.append(1000 * (time.perf_counter() - started))
                times[name] = min(runs)
            counted = sum(views for _, views in db.page_views_per_day("demo", since))
            db.engine().dispose()
    cluster.drop_database(f"dashboard_{total}")
    return {"events": total, "page_views_counted": counted, "generated_s": generated_s,
            "bytes_per_event": int(stored_bytes) / total, "query_ms": times,
            "dashboard_page_ms": sum(times.values())}


def measure_storage(seconds, dashboard_sizes):
    results = {"workers_per_node": WORKERS_PER_NODE, "connections_per_node": CONNECTIONS_PER_NODE,
               "postgresql_settings": POSTGRESQL_SETTINGS, "cases": {}}
    cluster, redis_server = PostgresCluster(POSTGRESQL_SETTINGS), RedisServer()
    try:
        with tempfile.TemporaryDirectory(prefix="candor-bench-storage-") as folder:
            for dialect in ("sqlite", "postgresql"):
                for nodes in (1, 2):
                    name = f"{dialect}-{nodes}"
                    if dialect == "sqlite":
                        url = f"sqlite:///{folder}/{name}.sqlite3"
                    else:
                        url = cluster.create_database(name.replace("-", "_"))
                    results["cases"][name] = run_case(name, nodes, seconds, folder, url, redis_server.url,
                                                      cluster if dialect == "postgresql" else None)
        results["dashboard"] = [dashboard_query_times(cluster, total) for total in dashboard_sizes if total]
    finally:
        redis_server.stop()
        cluster.stop()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.storage_load", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk time per case (default 10)")
    parser.add_argument("--dashboard-events", type=int, nargs="+", default=[1_000_000],
                        help="events generated for the dashboard query times, one run per number"
                             " (default 1000000; 0 skips)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file whose 'storage' key is written")
    args = parser.parse_args(argv)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results["storage"] = measure_storage(args.seconds, args.dashboard_events)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results["storage"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
