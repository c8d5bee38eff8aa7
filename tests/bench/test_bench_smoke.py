"""The benchmarks still run: `python -m bench` with a few loads and one second of wrk, checked
for the shape and sanity of what it reports (never for how fast anything was)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.collector_load import RATE_LIMIT_ENV
from bench.sizes import PEERS

ROOT = Path(__file__).resolve().parents[2]
LOADS = 2


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "results.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--loads", str(LOADS), "--seconds", "1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=110)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(out.read_text()), completed.stdout


def test_bench_prints_every_section_and_judges_every_goal(bench_run):
    results, printed = bench_run
    for heading in ("Size (bytes)", "Main thread and page load", "Collector:", "Goals"):
        assert heading in printed
    assert [goal["goal"] for goal in results["goals"]] == [
        "tag size, gzip -9", "main thread, script start to first beacon (median)",
        "load event, with / without tag (medians)", "collector beacons/s, share of bare WSGI",
        "accepted beacons stored exactly once"]
    lines = {line.split("  ")[0]: line for line in printed.splitlines()}
    for goal in results["goals"]:
        line = lines[goal["goal"]]
        assert goal["measured"] in line
        assert line.split()[-1] == ("met" if goal["met"] is True else "MISSED" if goal["met"] is False else None)


def test_sizes_weigh_candor_as_the_build_does_and_every_peer(bench_run):
    sizes = bench_run[0]["sizes"]
    assert [row["tag"] for row in sizes][0] == "Candor"
    assert sorted(row["tag"] for row in sizes[1:]) == sorted(peer[0] for peer in PEERS)
    built = json.loads((ROOT / "dist" / "size.json").read_text())
    assert (sizes[0]["raw"], sizes[0]["gzip"], sizes[0]["brotli"]) == (built["min"], built["gzip"], built["brotli"])
    for row in sizes:
        assert 0 < row["brotli"] < row["gzip"] < row["raw"], row
        assert row["file"] in bench_run[1]


def test_page_cost_saw_the_tag_run_and_beacon_on_every_load(bench_run):
    page = bench_run[0]["page"]
    assert page["browser"].startswith("chrome")
    assert page["loads_per_page"] == LOADS and page["beacons_received"] == LOADS
    assert page["cross_origin_isolated"] is True
    for measure in ("start_to_beacon_ms", "script_ms"):
        assert page[measure]["n"] == LOADS
        assert 0 < page[measure]["median"] <= page[measure]["p95"]
    for variant in ("with_tag", "without_tag"):
        assert page["load_event_ms"][variant]["n"] == LOADS
        assert page["load_event_ms"][variant]["median"] > 0
        assert page["long_task_ms"][variant]["median"] >= 0
    assert page["load_ratio"] > 0
    assert page["load_delay"]["run_ms"] > 0
    calls = {api["api"]: api["calls_per_load"] for api in page["profile"]["apis"]}
    assert calls["navigator.sendBeacon"] == 1 and calls["document.cookie (read)"] >= 1


def test_collector_stored_every_accepted_beacon_once(bench_run):
    collector = bench_run[0]["collector"]
    assert collector["settings"] == RATE_LIMIT_ENV
    for server in ("bare_wsgi", "collector"):
        assert list(collector[server]["statuses"]) == ["204"], collector[server]["statuses"]
        assert collector[server]["accepted_per_s"] > 0
        assert 0 < collector[server]["latency_ms"]["p50"] <= collector[server]["latency_ms"]["p99"]
    check = collector["count_check"]
    assert check["accepted_204"] == collector["collector"]["statuses"]["204"] > 0
    assert check["lost"] == check["unexpected"] == 0
    assert check["stored_rows"] == check["accepted_204"] + check["stored_in_flight_at_stop"]
    assert 0 <= check["stored_in_flight_at_stop"] <= collector["connections"]
    profile = collector["profile"]
    assert profile["requests"] > 0 and profile["top_own_time"]
    assert sum(entry["share"] for entry in profile["top_own_time"]) <= 1.0
