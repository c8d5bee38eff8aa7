"""Session data older than 90 days: deleted by whole UTC days by `flask purge`, at start-up
and daily while the server runs (a moved clock, no sleeping), and never shown before that."""

import pytest
from wire_samples import BATCH, PAGE_EVENT, TEST_SITES, batch, post

from candor_server.dashboard import analytics
from candor_server.dashboard.analytics import Scope
from candor_server.dashboard.periods import period_from, utc_date
from candor_server.dashboard.views import oldest_day
from candor_server.retention import purge_cutoff_ms, window_start_ms
from candor_server.storage import db
from demo_site import create_app

pytestmark = pytest.mark.databases("sqlite", "postgresql")

DAY = 86_400
SECOND_EVENT = {**PAGE_EVENT, "id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}


def store_old_and_new(client, clock, age_days):
    """One event received `age_days` ago and one now; returns to the present."""
    clock.advance(days=-age_days)
    assert post(client, BATCH).status_code == 204
    clock.advance(days=age_days)
    assert post(client, batch(events=[SECOND_EVENT])).status_code == 204


def stored_ids(app):
    with app.app_context():
        return sorted(event["id"] for event in db.events_for_site("demo"))


def test_the_purge_command_deletes_what_is_older_than_90_days(app, client, runner, clock):
    store_old_and_new(client, clock, age_days=91)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0
    assert result.output == ("Deleted 1 events, 0 CSP violation reports, 0 daily opt-out counts and 0 daily counts"
                             " of scrubbed data older than 90 days.\n")
    assert stored_ids(app) == [SECOND_EVENT["id"]]


def test_data_of_89_days_is_kept(app, client, runner, clock):
    store_old_and_new(client, clock, age_days=89)
    assert runner.invoke(args=["purge"]).output.startswith("Deleted 0 events, 0 CSP violation reports,")
    assert len(stored_ids(app)) == 2


def test_a_running_server_purges_once_a_day_without_being_asked(app, client, clock):
    assert post(client, BATCH).status_code == 204
    clock.advance(days=91)
    client.get("/optout")
    assert stored_ids(app) == []


def test_a_day_is_deleted_once_all_of_it_is_past_90_days_and_is_never_shown_meanwhile(app, client, runner, clock):
    clock.seconds = 1_795_953_600  # 2026-11-29 12:00 UTC
    assert post(client, BATCH).status_code == 204
    clock.advance(days=90, seconds=3600)  # 13:00: the event is 90 days and an hour old
    assert runner.invoke(args=["purge"]).output.startswith("Deleted 0 events, ")
    with app.app_context():
        assert db.events_for_uid(BATCH["uid"], window_start_ms(clock())) == []
    clock.advance(seconds=11 * 3600)  # midnight: all of 2026-11-29 is past 90 days
    assert runner.invoke(args=["purge"]).output.startswith("Deleted 1 events, ")
    assert stored_ids(app) == []


def test_a_running_server_does_not_purge_more_than_daily(app, client, clock, monkeypatch):
    client.get("/optout")
    purges = []
    monkeypatch.setattr(db, "delete_received_before", lambda cutoff, day: purges.append(cutoff) or {})
    clock.advance(seconds=DAY - 1)
    client.get("/optout")
    assert purges == []
    clock.advance(seconds=1)
    client.get("/optout")
    assert purges == [purge_cutoff_ms(clock())]


def test_the_server_purges_at_start_up(tmp_path, dist_dir, app, client, clock):
    store_old_and_new(client, clock, age_days=100)
    restarted = create_app({"DATA_DIR": app.config["DATA_DIR"], "DATABASE_URL": app.config["DATABASE_URL"],
                            "DIST_DIR": dist_dir, "SITES": TEST_SITES,
                            "CLOCK": clock})
    assert stored_ids(restarted) == [SECOND_EVENT["id"]]


def test_old_rows_not_yet_purged_are_never_read_for_a_profile(app, client, clock):
    store_old_and_new(client, clock, age_days=91)
    with app.app_context():
        since = window_start_ms(clock())
        assert [event["id"] for event in db.events_for_uid(BATCH["uid"], since)] == [SECOND_EVENT["id"]]
        chosen = Scope("demo", period_from("90d", None, utc_date(clock() * 1000), oldest_day()))
        with db.engine().connect() as connection:
            assert analytics.aggregate(connection, chosen, ("pageviews", "visits")) == {"pageviews": 1, "visits": 1}


def test_the_purge_also_forgets_csp_violation_reports_older_than_90_days(app, runner, clock):
    from candor_server.collector.csp_reports import Violation

    def report_one(blocked):
        with app.app_context():
            db.store_csp_violations("demo", [Violation("http://127.0.0.1/leaky", blocked, "img-src", "enforce")])
    clock.advance(days=-91)
    report_one("old.example")
    clock.advance(days=91)
    report_one("new.example")
    runner.invoke(args=["purge"])
    with app.app_context():
        assert [row["blocked"] for row in db.csp_violation_summary("demo", 0)] == ["new.example"]


def test_leak_and_csp_rows_older_than_90_days_are_never_shown_even_before_the_purge(app, client, clock, monkeypatch):
    from candor_server.collector.csp_reports import Violation
    from candor_server.dashboard.leakage import leakage_for

    monkeypatch.setattr(db, "delete_received_before", lambda cutoff, day: {})
    leak = {**PAGE_EVENT, "type": "leak", "hosts": [{"host": "old.tracker.example", "kind": "img", "n": 1}]}
    clock.advance(days=-91)
    assert post(client, batch(events=[leak])).status_code == 204
    with app.app_context():
        db.store_csp_violations("demo", [Violation("http://127.0.0.1/leaky", "old.example", "img-src", "enforce")])
    clock.advance(days=91)
    with app.test_request_context("/dashboard"):
        report = leakage_for("demo")
    assert report["domains"] == [] and report["violations"] == []


def test_the_purge_reports_the_csp_reports_and_daily_counts_it_deleted(app, client, runner, clock):
    from candor_server.collector.csp_reports import Violation

    clock.advance(days=-95)
    with app.app_context():
        db.store_csp_violations("demo", [Violation("http://127.0.0.1/leaky", "old.example", "img-src", "enforce")])
    assert post(client, BATCH, headers={"DNT": "1"}).status_code == 204
    old_event = {**PAGE_EVENT, "url": "https://pub.example/checkout?x=ann%40example.com"}
    assert post(client, batch(events=[old_event])).status_code == 204
    clock.advance(days=95)
    assert runner.invoke(args=["purge"]).output == (
        "Deleted 1 events, 1 CSP violation reports, 1 daily opt-out counts and 1 daily counts"
        " of scrubbed data older than 90 days.\n")
