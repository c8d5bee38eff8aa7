"""Collector throughput: the demo collector and a bare WSGI app under the same gunicorn on
loopback, each driven by wrk for the same time with valid beacons (beacons.lua), and an id-by-id
check that every beacon answered 204 is stored exactly once.

Settings reach the collector through its environment only, as in production: a temporary data
folder, a sites file allowing the bench origin, and the rate limit raised out of the way.
"""
import json
import marshal
import os
import pstats
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, select

from candor_server.storage.connections import database_url
from candor_server.storage.tables import event
from service_harness.processes import wait_until_answering

from .stats import percentile

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).resolve().parent / "beacons.lua"
PROFILE_CONFIG = Path(__file__).resolve().parent / "gunicorn_profile.py"
ORIGIN = "http://bench.example"
SITE = "bench"
APPS = {"bare_wsgi": "bench.bare_wsgi:app", "collector": "candor_server:create_app()"}
RATE_LIMIT_ENV = {"CANDOR_COLLECT_RATE_LIMIT": "1000000000 per minute"}
"""Assumed setting of the collector's rate limiter (beacons per client per window): raised far
beyond what the bench sends, so throughput is the collector's, not the limiter's. Any 429
still shows in the statuses."""
PROFILE_SECONDS = 5
PROFILE_MIN_SECONDS = 2
"""A profiled run shorter than this, on a busy machine, may profile no request at all."""
PROFILE_TOP = 8
PHASES = {
    "lean /collect path, whole": ("candor_server/collector/beacon_path.py", "__call__"),
    "rate budget": ("candor_server/collector/beacon_budget.py", "hit"),
    "wire schema": ("candor_server/collector/wire.py", "parse_body"),
    "scrubbing": ("candor_server/collector/scrubbing.py", "scrubbed_event"),
    "session data and visit facts (with scrubbing)": ("candor_server/collector/beacons.py", "with_session_data"),
    "storage (SQLAlchemy, SQLite commit)": ("candor_server/storage/db.py", "store_events"),
}
"""Where a beacon's time goes, as cumulative CPU ms per request of the functions that do each part."""
START_TIMEOUT = 20
STOP_TIMEOUT = 30


class LoadToolMissing(Exception):
    """wrk is not installed: the message says how to install it."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collector_environment(data_dir):
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    sites_file = Path(data_dir) / "sites.json"
    sites_file.write_text(json.dumps({SITE: {"origins": [ORIGIN]}}), encoding="utf-8")
    return {**os.environ, "CANDOR_DATA_DIR": str(data_dir), "CANDOR_SITES": str(sites_file), **RATE_LIMIT_ENV}


class Gunicorn:
    """One gunicorn (sync workers, its default) serving `app` on a free loopback port."""

    def __init__(self, app, workers, environment, *options):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--graceful-timeout", str(STOP_TIMEOUT), *options, app],
            cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.wait_until_listening(app)

    def wait_until_listening(self, app):
        """Until a worker has answered a request: a loaded run starts with the app booted."""
        try:
            wait_until_answering(self.port, self.process, START_TIMEOUT, f"gunicorn {app}")
        except RuntimeError:
            self.stop()
            raise

    def stop(self):
        """SIGTERM is gunicorn's graceful stop: requests in flight finish and are stored."""
        self.process.send_signal(signal.SIGTERM)
        self.process.communicate(timeout=STOP_TIMEOUT)


def run_wrk(port, seconds, connections, run_id):
    """wrk's own report (beacons.lua `done`), one connection per thread."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise LoadToolMissing("wrk is missing: apt-get install -y wrk")
    completed = subprocess.run(
        [wrk, "--threads", str(connections), "--connections", str(connections), "--duration", f"{seconds}s",
         "--timeout", "10s", "--script", str(LUA_SCRIPT), f"http://127.0.0.1:{port}/collect", "--", ORIGIN, run_id],
        capture_output=True, text=True, check=True, timeout=seconds + 60)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if len(lines) != 1:
        raise RuntimeError(f"wrk printed no report:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(lines[0][len("BENCH_JSON "):])


def stored_sequences(environment, run_id):
    """Stored event ids of this run, as {thread index: [sequence numbers]} (see beacons.lua),
    read from the database the collector's environment names."""
    stored = {}
    engine = create_engine(database_url({"DATABASE_URL": environment.get("CANDOR_DATABASE_URL"),
                                         "DATA_DIR": environment["CANDOR_DATA_DIR"]}))
    try:
        with engine.connect() as connection:
            for event_id in connection.scalars(select(event.c.id).where(event.c.id.startswith(run_id + "-"))):
                _, thread, _, _, sequence = event_id.split("-")
                stored.setdefault(int(thread, 16), []).append(int(sequence, 16))
    finally:
        engine.dispose()
    return stored


def count_check(report, stored):
    """Per wrk thread, answer n belongs to beacon n (beacons.lua): beacons answered 204 must all
    be stored, and nothing else may be but the one beacon a thread had in flight when wrk
    stopped (gunicorn's graceful stop lets it finish)."""
    accepted = lost = unexpected = in_flight = 0
    for thread in report["threads"]:
        answered = thread["answered"]
        accepted_here = set(range(answered)) - set(thread["refused"])
        stored_here = set(stored.get(thread["index"], []))
        accepted += len(accepted_here)
        lost += len(accepted_here - stored_here)
        in_flight += answered in stored_here
        unexpected += len(stored_here - accepted_here - {answered})
    return {"accepted_204": accepted, "stored_rows": sum(len(seqs) for seqs in stored.values()), "lost": lost,
            "unexpected": unexpected, "stored_in_flight_at_stop": in_flight,
            "socket_errors": sum(report["errors"].values())}


def throughput(report):
    """204s per second, latency and every status wrk saw."""
    statuses = {}
    for thread in report["threads"]:
        for status, count in (thread["statuses"] or {}).items():
            statuses[status] = statuses.get(status, 0) + count
    seconds = report["duration_us"] / 1e6
    latencies = [latency / 1000 for thread in report["threads"] for latency in thread["latencies_us"]]
    if not latencies:
        raise RuntimeError(f"wrk got no answer in {seconds:.1f} s")
    return {"accepted_per_s": statuses.get("204", 0) / seconds, "seconds": seconds, "statuses": statuses,
            "latency_ms": {"p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
                           "max": max(latencies), "mean": sum(latencies) / len(latencies)}}


def load_server(app, seconds, connections, workers, environment, *options):
    """Serve `app`, drive it with wrk, stop it gracefully; (run id, wrk report)."""
    run_id = secrets.token_hex(4)
    server = Gunicorn(app, workers, environment, *options)
    try:
        return run_wrk(server.port, seconds, connections, run_id), run_id
    finally:
        server.stop()


def profile_collector(seconds, connections, workers, environment, profile_dir):
    """Where a collector request spends its time: the functions with the most own time over a
    profiled run, as ms per request and share of all profiled time."""
    profile_dir.mkdir()
    load_server(APPS["collector"], seconds, connections, workers,
                {**environment, "CANDOR_BENCH_PROFILE_DIR": str(profile_dir)}, "--config", str(PROFILE_CONFIG))
    # A worker that served no request in the profiled run leaves an empty profile, which pstats refuses.
    stats = pstats.Stats(*(str(path) for path in sorted(profile_dir.glob("*.prof")) if marshal.loads(path.read_bytes())))
    requests = sum(entry[1] for function, entry in stats.stats.items() if function[2] == "collect_beacon")
    ranked = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:PROFILE_TOP]
    phases = {label: 1000 * sum(entry[3] for function, entry in stats.stats.items()
                                if function[0].endswith(file) and function[2] == name) / requests
              for label, (file, name) in PHASES.items()}
    return {
        "requests": requests,
        "ms_per_request": 1000 * stats.total_tt / requests,
        "phases_ms_per_request": phases,
        "top_own_time": [{"function": shown_function(function), "calls_per_request": entry[1] / requests,
                          "ms_per_request": 1000 * entry[2] / requests, "share": entry[2] / stats.total_tt}
                         for function, entry in ranked],
    }


def shown_function(function):
    file, line, name = function
    if file == "~":
        return name
    path = Path(file)
    for base in (ROOT, Path(sys.prefix), Path(sys.base_prefix)):
        if path.is_relative_to(base):
            path = path.relative_to(base)
            break
    return f"{path}:{line}({name})"


def measure_collector(seconds, data_dir, connections=2, workers=None):
    """The bare app, then the collector, each for `seconds` under identical gunicorn and wrk
    settings; then a shorter profiled run of the collector."""
    workers = workers or os.cpu_count()
    environment = collector_environment(data_dir)
    results = {"workers": workers, "connections": connections, "origin": ORIGIN,
               "settings": {key: environment[key] for key in RATE_LIMIT_ENV}}
    for name, app in APPS.items():
        report, run_id = load_server(app, seconds, connections, workers, environment)
        results[name] = throughput(report)
    results["count_check"] = count_check(report, stored_sequences(environment, run_id))
    results["ratio"] = results["collector"]["accepted_per_s"] / results["bare_wsgi"]["accepted_per_s"]
    results["profile"] = profile_collector(max(PROFILE_MIN_SECONDS, min(seconds, PROFILE_SECONDS)), connections, workers, environment,
                                           Path(data_dir) / "profile")
    return results
