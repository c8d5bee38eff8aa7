"""The storage benchmark still runs: `python -m bench.storage_load` with one second of wrk per
case and a small generated dashboard, checked for the shape and sanity of what it reports
(every case served beacons and lost or doubled none; never how fast anything was)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = ["sqlite-1", "sqlite-2", "postgresql-1", "postgresql-2"]


@pytest.fixture(scope="module")
def storage_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("storage-bench") / "results.json"
    out.write_text(json.dumps({"sizes": "kept"}))
    completed = subprocess.run(
        [sys.executable, "-m", "bench.storage_load", "--seconds", "1", "--dashboard-events", "2000", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=170)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(out.read_text())


@pytest.mark.timeout(200)
def test_every_case_served_beacons_and_stored_each_accepted_one_once(storage_run):
    cases = storage_run["storage"]["cases"]
    assert list(cases) == CASES
    for name, case in cases.items():
        check = case["count_check"]
        assert case["accepted_per_s"] > 0, name
        assert check["accepted_204"] > 0 and check["lost"] == 0 and check["unexpected"] == 0, (name, check)
        assert case["latency_ms"]["p50"] <= case["latency_ms"]["p99"], name
        assert case["cpu_ms_per_beacon"]["nodes"] > 0, name
        assert (case["cpu_ms_per_beacon"]["postgresql"] is None) == name.startswith("sqlite"), name
        assert len(case["per_node"]) == case["nodes"]


@pytest.mark.timeout(200)
def test_the_dashboard_queries_are_timed_on_generated_events_and_the_rest_of_the_results_kept(storage_run):
    [dashboard] = storage_run["storage"]["dashboard"]
    assert dashboard["events"] == dashboard["page_views_counted"] == 2000
    assert set(dashboard["query_ms"]) == {"page views per day", "top pages", "referrer types", "search engines",
                                          "browsers"}
    assert all(ms > 0 for ms in dashboard["query_ms"].values())
    assert storage_run["sizes"] == "kept"
