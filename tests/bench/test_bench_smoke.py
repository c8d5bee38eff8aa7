"""The benchmarks still run: `python -m bench` with a few loads in the engines CANDOR_BROWSERS
selects (default all three) and one second of wrk, checked for the shape and sanity of what it
reports (never for how fast anything was)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.collector_load import RATE_LIMIT_ENV
from bench.installs import INSTALLS
from bench.sizes import PEERS

ROOT = Path(__file__).resolve().parents[2]
LOADS = 2
ENGINES = [name.strip() for name in os.environ.get("CANDOR_BROWSERS", "chromium,firefox,webkit").split(",") if name]


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "results.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--loads", str(LOADS), "--seconds", "1", "--engines", ",".join(ENGINES),
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(out.read_text()), completed.stdout


def test_bench_prints_every_section_and_judges_every_goal(bench_run):
    results, printed = bench_run
    for heading in ("Size (bytes)", "Runtime side by side", "Collector:", "Goals"):
        assert heading in printed
    assert [goal["goal"] for goal in results["goals"]] == [
        *(f"{measure} (median), lowest of the tags ({engine})"
          for engine in ENGINES for measure in ("main-thread time", "load-event delay")),
        "bytes before the first page view is sent, gzip -9", "collector beacons/s, share of bare WSGI",
        "collector p99 latency at the bench's load", "accepted beacons stored exactly once"]
    lines = {line.split("  ")[0]: line for line in printed.splitlines()}
    for goal in results["goals"]:
        line = lines[goal["goal"]]
        assert goal["measured"] in line
        assert line.split()[-1] == ("MET" if goal["met"] is True else "MISSED" if goal["met"] is False else None)


def test_sizes_weigh_candor_as_the_build_does_and_every_peer(bench_run):
    sizes = bench_run[0]["sizes"]
    assert [row["tag"] for row in sizes][0] == "Candor"
    assert sorted(row["tag"] for row in sizes[1:]) == sorted(peer[0] for peer in PEERS)
    built = json.loads((ROOT / "dist" / "size.json").read_text())
    assert (sizes[0]["raw"], sizes[0]["gzip"], sizes[0]["brotli"]) == (built["min"], built["gzip"], built["brotli"])
    for row in sizes:
        assert 0 < row["brotli"] < row["gzip"] < row["raw"], row
        assert row["file"] in bench_run[1]


def test_every_tag_ran_and_sent_its_page_view_in_every_engine(bench_run):
    page = bench_run[0]["page"]
    assert list(page["engines"]) == ENGINES
    for engine, report in page["engines"].items():
        assert list(report["tags"]) == [install.name for install in INSTALLS]
        assert report["cross_origin_isolated"] is True
        assert 0 < report["timer_resolution_ms"] <= 1
        for tag, measures in report["tags"].items():
            for measure in ("main_thread_ms", "script_run_ms", "start_to_first_request_ms", "load_event_ms"):
                assert measures[measure]["n"] == LOADS, (engine, tag, measure)
                assert 0 < measures[measure]["q1"] <= measures[measure]["median"] <= measures[measure]["q3"]
            assert measures["main_thread_ms"]["median"] >= measures["script_run_ms"]["q1"] > 0
            assert measures["requests_per_load"] >= 1 and measures["script_bytes_per_load"] > 1000
            assert measures["to_plausible"]["main_thread"] > 0
        calls = {api["api"]: api["calls_per_load"] for api in report["tags"]["Candor"]["api_profile"]}
        assert calls["navigator.sendBeacon"] == 1 and calls["document.cookie (read)"] >= 1
        assert report["tags"]["Candor"]["first_request_api"] == ["sendBeacon"]
        assert report["tags"]["Candor"]["requests_per_load"] == 1
        if engine == "chromium":
            assert report["lacks"] == [] and report["no_tag"]["long_tasks"] is not None
            for measures in report["tags"].values():
                assert measures["cpu_profile"]["sampled_ms"]["median"] > 0 and measures["cpu_profile"]["top"]
        else:
            assert any("Long Tasks" in missing for missing in report["lacks"])
            assert all(measures["long_tasks"] is None for measures in report["tags"].values())


def test_leak_split_is_weighed_against_the_whole_tag(bench_run):
    split = bench_run[0]["leak_split"]
    built = json.loads((ROOT / "dist" / "size.json").read_text())
    assert split["today_gzip"] == built["gzip"]
    assert split["before_first_page_view_saved"] == built["features"]["leaks"]
    assert 0 < split["lazy_leaks_gzip"] < split["main_without_leaks_gzip"] < split["today_gzip"]


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
    phases = profile["phases_ms_per_request"]
    assert 0 < phases["storage (SQLAlchemy, SQLite commit)"] < phases["lean /collect path, whole"]
    assert all(ms > 0 for ms in phases.values())
