"""The dashboard bench end to end on a small data set: every view it times answers 200
and is timed, and the table says which meet the 300 ms goal."""

from sqlalchemy import select

from bench.dashboard_speed import PAGES, PASSWORD, SITES, load, measure, render
from bench.traffic import generate, wire_body
from candor_server.storage import db, tables
from demo_site import create_app


def test_the_dashboard_bench_times_every_view(tmp_path):
    result = measure(events=3000, repeats=2, data_dir=tmp_path)
    assert 2500 < result["events"] < 3500
    assert set(result["timings"]) == {label for label, _ in PAGES}
    assert all(timing["n"] == 2 and timing["p95"] > 0 and timing["cold"] > 0 for timing in result["timings"].values())
    table = render(result)
    assert table.count("\n| ") == len(PAGES) + 2 and "| dashboard, 90 days |" in table


def test_the_bulk_load_forms_the_visits_the_collector_forms(tmp_path):
    now_ms = 1_764_400_000_000
    beacons = generate(3, 150, now_ms - 20 * 86_400_000, now_ms)
    bulk = create_app({"DATA_DIR": str(tmp_path / "bulk"), "SITES": SITES, "DASHBOARD_PASSWORD": PASSWORD})
    load(bulk, beacons)
    clock = [now_ms / 1000]
    posted = create_app({"DATA_DIR": str(tmp_path / "posted"), "SITES": SITES, "DASHBOARD_PASSWORD": PASSWORD,
                         "COLLECT_RATE_LIMIT": "1000000 per minute", "CLOCK": lambda: clock[0]})
    client = posted.test_client()
    for beacon in beacons:
        clock[0] = beacon.received_at / 1000
        assert client.post("/collect", json=wire_body(beacon), headers={"User-Agent": beacon.user_agent}).status_code == 204

    def contents(app):
        columns = [column for column in tables.visit.c if column.name != "id"]
        with app.app_context(), db.engine().connect() as connection:
            visits = connection.execute(select(*columns).order_by(tables.visit.c.uid, tables.visit.c.started_at)).all()
            events = connection.execute(select(tables.event.c.id, tables.event.c.path, tables.event.c.visitor)
                                        .order_by(tables.event.c.id)).all()
        return visits, events

    assert contents(bulk) == contents(posted)
    assert len(contents(bulk)[0]) > 150
