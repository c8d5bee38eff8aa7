"""The dashboard bench end to end on a small data set: every view it times answers 200
and is timed, and the table says which meet the 300 ms goal."""

from bench.dashboard_speed import PAGES, measure, render


def test_the_dashboard_bench_times_every_view(tmp_path):
    result = measure(events=3000, repeats=2, data_dir=tmp_path)
    assert 2500 < result["events"] < 3500
    assert set(result["timings"]) == {label for label, _ in PAGES}
    assert all(timing["n"] == 2 and timing["p95"] > 0 for timing in result["timings"].values())
    table = render(result)
    assert table.count("\n| ") == len(PAGES) + 2 and "| dashboard, 90 days |" in table
