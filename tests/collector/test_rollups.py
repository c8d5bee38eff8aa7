"""The dashboard's rollups (candor_server/dashboard/rollups.py): closed days, and the closed
hours of today, are summed once and read back with the same numbers as the raw tables give;
the last open hours are read live; a slice is summed again when what it summed changes (a
visitor deleting their data at once, a visit going on past it within minutes) and goes with the
retention window."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from wire_samples import PAGE_EVENT, batch, post

from candor_server.collector.visits import visitor_key
from candor_server.dashboard import analytics, distinct, rollups
from candor_server.dashboard.analytics import Scope
from candor_server.dashboard.periods import period_from, utc_date
from candor_server.dashboard.properties import parse_filters
from candor_server.dashboard.views import beacon_report
from candor_server.dashboard.visitor_sketches import VisitorSketch
from candor_server.storage import db, tables

pytestmark = pytest.mark.databases("sqlite", "postgresql")

NOON = 1_795_953_600  # 2026-11-29 12:00 UTC
HOUR = 3600
MINE = "4f1c2a9e8b7d6c5f4e3d2c1b0a998877"
THEIRS = "00112233445566778899aabbccddeeff"


def page_view(number, path="/a", uid=MINE):
    event = {**PAGE_EVENT, "id": f"1b4e28ba-2fa1-11d2-883f-{number:012d}", "url": f"https://pub.example{path}"}
    return batch(uid=uid, events=[event])


def seven_days(app, filters=()):
    with app.app_context():
        today = utc_date(app.config["CLOCK"]() * 1000)
        return Scope("demo", period_from("7d", None, today, today - timedelta(days=89)), filters)


def ask(app, function, *args):
    with app.app_context(), db.engine().connect() as connection:
        return function(connection, *args)


def rolled_slices(app):
    with app.app_context(), db.engine().connect() as connection:
        return sorted(connection.execute(select(tables.rolled_slice.c.slice)).scalars())


def rolled_days(app):
    return [key for key in rolled_slices(app) if len(key) == len("YYYY-MM-DD")]


def rollup_rows(app, key):
    with app.app_context(), db.engine().connect() as connection:
        return connection.execute(select(func.count()).select_from(tables.rollup).where(tables.rollup.c.slice == key)).scalar()


def test_a_day_is_rolled_once_closed_and_read_back_with_the_raw_numbers(app, client, clock):
    clock.seconds = NOON - 2 * 24 * HOUR  # 2026-11-27 12:00
    assert post(client, page_view(1)).status_code == 204
    assert post(client, page_view(2, "/b", uid=THEIRS)).status_code == 204
    clock.seconds = NOON
    scope = seven_days(app)
    rolled = ask(app, analytics.aggregate, scope)
    assert rolled_days(app) == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"]
    assert rolled == {"visitors": 2, "visits": 2, "pageviews": 2, "events": 0, "views_per_visit": 1.0, "bounce_rate": 100,
                      "visit_duration": 0}
    pages = ask(app, analytics.breakdown, scope, "event:page")
    assert [(row["value"], row["visitors"], row["pageviews"], row["visits"]) for row in pages] == [("/a", 1, 1, 1), ("/b", 1, 1, 1)]
    assert ask(app, analytics.breakdown, scope, "visit:source")[0]["value"] == "Google"


def test_today_is_summed_by_closed_hours_and_the_last_ones_read_live(app, client, clock):
    clock.seconds = NOON - 3 * HOUR  # 09:00
    assert post(client, page_view(1)).status_code == 204
    clock.seconds = NOON
    assert post(client, page_view(2, uid=THEIRS)).status_code == 204
    assert ask(app, analytics.aggregate, seven_days(app), ("visitors", "pageviews")) == {"visitors": 2, "pageviews": 2}
    today = [key for key in rolled_slices(app) if key.startswith("2026-11-29")]
    assert today == [f"2026-11-29T{hour:02d}" for hour in range(11)]  # 11:00-12:00 closes at 12:30
    assert rollup_rows(app, "2026-11-29T09") > 0
    assert post(client, page_view(3, uid=THEIRS)).status_code == 204
    assert ask(app, analytics.aggregate, seven_days(app), ("pageviews",)) == {"pageviews": 3}
    assert [row["value"] for row in ask(app, analytics.breakdown, seven_days(app), "event:page")] == ["/a"]


def test_summing_a_day_replaces_its_hours(app, client, clock):
    clock.seconds = NOON
    assert post(client, page_view(1)).status_code == 204
    clock.seconds = NOON + 3 * HOUR
    ask(app, analytics.aggregate, seven_days(app))
    assert "2026-11-29T12" in rolled_slices(app)
    clock.seconds = NOON + 13 * HOUR  # 01:00 the next day
    assert ask(app, analytics.aggregate, seven_days(app), ("pageviews",)) == {"pageviews": 1}
    assert "2026-11-29" in rolled_slices(app)
    assert [key for key in rolled_slices(app) if key.startswith("2026-11-29T")] == []
    assert rollup_rows(app, "2026-11-29T12") == 0


def test_yesterday_stays_open_for_the_first_half_hour(app, client, clock):
    clock.seconds = NOON - 12 * HOUR - 60  # 23:59 on 2026-11-28
    assert post(client, page_view(1)).status_code == 204
    clock.seconds = NOON - 12 * HOUR + 29 * 60  # 00:29
    ask(app, analytics.aggregate, seven_days(app))
    assert "2026-11-28" not in rolled_days(app)
    clock.seconds = NOON - 12 * HOUR + 30 * 60  # 00:30
    assert ask(app, analytics.aggregate, seven_days(app), ("visits",)) == {"visits": 1}
    assert "2026-11-28" in rolled_days(app)


def test_a_visit_going_on_past_its_summed_day_has_the_day_summed_again_within_minutes(app, client, clock):
    midnight = NOON - 12 * HOUR
    read = ("visits", "visit_duration")

    def at(minutes, number=None):
        clock.seconds = midnight + minutes * 60
        if number is not None:
            assert post(client, page_view(number, f"/p{number}")).status_code == 204
        return ask(app, analytics.aggregate, seven_days(app), read)

    at(-1, 1)  # 23:59
    at(20, 2)  # 00:20, the same visit
    assert at(30) == {"visits": 1, "visit_duration": 21 * 60}  # the day closes at 00:30 and is summed
    at(31, 3)  # the visit goes on: the day is stale...
    assert at(32) == {"visits": 1, "visit_duration": 21 * 60}  # ...but summed again at most every 5 minutes
    assert at(35) == {"visits": 1, "visit_duration": 32 * 60}


def test_an_exit_page_filter_follows_a_visit_that_goes_on_after_its_hours_were_summed(app, client, clock):
    """Every summed hour holding one of the visit's events keeps a copy of its exit page, which
    a filter on it reads: each copy is summed again when the exit page changes."""
    ten = NOON - 2 * HOUR
    exit_page = seven_days(app, parse_filters("visit:exit_page==/d"))

    def at(minutes, path=None, scope=exit_page):
        clock.seconds = ten + minutes * 60
        if path is not None:
            assert post(client, page_view(minutes, path)).status_code == 204
        return ask(app, analytics.aggregate, scope, ("visits", "pageviews"))

    for minutes, path in ((50, "/a"), (75, "/b"), (100, "/c"), (125, "/d")):  # 10:50 to 12:05, one visit
        at(minutes, path)
    assert at(151) == {"visits": 1, "pageviews": 4}  # 12:31: hours 10 and 11 are summed
    assert {"2026-11-29T10", "2026-11-29T11"} <= set(rolled_slices(app))
    at(154, "/e")  # 12:34: the visit goes on, its exit page is now /e
    assert at(160) == {"visits": 0, "pageviews": 0}
    assert at(160, scope=seven_days(app, parse_filters("visit:exit_page==/e"))) == {"visits": 1, "pageviews": 5}


@pytest.mark.parametrize("packed", [True, False])
def test_a_visit_across_midnight_is_one_visit_to_event_filters_funnels_and_page_visits(app, client, clock, monkeypatch, packed):
    """A visit going on past midnight has a row in each day's columns; an event filter, a funnel
    and a page's visits follow it as one visit, whichever day its events fell in (with its
    visitor's rank packed into its own, and without, as on a site too large to pack them)."""
    if not packed:
        monkeypatch.setattr(distinct, "fits", lambda largest_id, size: False)
    midnight = NOON - 36 * HOUR  # 2026-11-28 00:00
    for number, minutes, path in ((1, -10, "/a"), (2, 10, "/pricing"), (3, 20, "/a")):
        clock.seconds = midnight + minutes * 60
        event = {**PAGE_EVENT, "id": f"1b4e28ba-2fa1-11d2-883f-{number:012d}", "url": f"https://pub.example{path}",
                 "ts": clock.seconds * 1000}
        assert post(client, batch(uid=MINE, events=[event])).status_code == 204
    clock.seconds = NOON
    pricing = seven_days(app, parse_filters("event:page==/pricing"))
    assert ask(app, analytics.aggregate, pricing, ("visits", "pageviews")) == {"visits": 1, "pageviews": 1}
    steps = (analytics.Goal("page", "/a"), analytics.Goal("page", "/pricing"), analytics.Goal("page", "/a"))
    assert [visits for _, visits in ask(app, analytics.funnel, seven_days(app), steps)] == [1, 1, 1]
    everyone = seven_days(app, parse_filters("visit:country!=ZZ"))  # a filter keeping all: read from the columns
    pages = {row["value"]: (row["visits"], row["pageviews"]) for row in ask(app, analytics.breakdown, everyone, "event:page", 10)}
    assert pages == {"/a": (1, 2), "/pricing": (1, 1)}
    assert {"2026-11-27", "2026-11-28"} <= set(rolled_days(app))  # both days were summed into their own columns


def test_events_accepted_add_the_rollups_to_the_raw_edges_of_the_window(app, client, clock):
    """The beacon report's last 24 hours and 7 days: whole days from the rollups, the rest of
    the window's first day from the hours of its stored columns, the rest of its first hour
    and every leak report counted raw."""
    report_at = NOON + HOUR // 2  # 12:30: each window starts half an hour into an hour
    # Hours before the report: one too old; around the start of the week (in its first, raw,
    # half hour or just before it); in the week only; around the start of the last 24 hours;
    # in both.
    ages_in_hours = (200, 168.1, 167.9, 30, 24.2, 23.8, 23, 5, 0.5)
    for number, hours in enumerate(ages_in_hours):
        clock.seconds = report_at - hours * HOUR
        assert post(client, page_view(number, uid=f"{number:032d}")).status_code == 204
    leak = {**PAGE_EVENT, "id": "1b4e28ba-2fa1-11d2-883f-0000000000aa", "type": "leak",
            "hosts": [{"host": "tracker.example", "kind": "img", "n": 1}]}
    clock.seconds = report_at - 2 * HOUR
    assert post(client, batch(uid=THEIRS, events=[leak])).status_code == 204
    clock.seconds = report_at
    with app.app_context():
        assert beacon_report("demo")[0] == ("events accepted", 5, 8)
    assert {"2026-11-22", "2026-11-28"} <= set(rolled_days(app))  # both first days were read from their stored columns


def test_deleting_my_data_takes_me_out_of_the_rollups(app, client, clock):
    clock.seconds = NOON - 3 * 24 * HOUR
    assert post(client, page_view(1)).status_code == 204
    assert post(client, page_view(2, uid=THEIRS)).status_code == 204
    clock.seconds = NOON
    assert ask(app, analytics.aggregate, seven_days(app), ("visitors",)) == {"visitors": 2}
    client.set_cookie("candor_id", MINE)
    assert client.post("/my-data/delete", headers={"Origin": "http://localhost"}).status_code == 200
    assert "2026-11-26" not in rolled_days(app)
    assert ask(app, analytics.aggregate, seven_days(app), ("visitors",)) == {"visitors": 1}
    with app.app_context(), db.engine().connect() as connection:
        sketches = connection.execute(select(tables.rollup.c.visitors).where(tables.rollup.c.slice == "2026-11-26")).scalars()
        assert all(visitor_key(MINE) not in VisitorSketch.from_bytes(blob).keys for blob in sketches)


def test_rollups_go_with_the_retention_window(app, client, runner, clock):
    clock.seconds = NOON - 80 * 24 * HOUR
    assert post(client, page_view(1)).status_code == 204
    clock.seconds = NOON - 70 * 24 * HOUR
    assert runner.invoke(args=["rollup"]).output == "demo: 100 slices summed\npartner: 100 slices summed\n"  # 89 days, 11 hours
    assert rollup_rows(app, "2026-09-10") > 0
    clock.seconds = NOON + 12 * 24 * HOUR
    runner.invoke(args=["purge"])
    assert rollup_rows(app, "2026-09-10") == 0
    assert [day for day in rolled_days(app) if day < "2026-09-11"] == []


def test_a_day_is_rolled_by_one_request_only(app, client, clock):
    clock.seconds = NOON - 24 * HOUR
    assert post(client, page_view(1)).status_code == 204
    clock.seconds = NOON
    with app.app_context():
        day = utc_date((NOON - 24 * HOUR) * 1000)
        assert rollups.roll_slice("demo", day.isoformat()) is True
        assert rollups.roll_slice("demo", day.isoformat()) is False


def test_days_before_the_retention_window_are_never_summed(app, client, clock):
    clock.seconds = NOON
    today = utc_date(NOON * 1000)
    ninety_days = Scope("demo", period_from("90d", None, today, today - timedelta(days=89)), ())
    ask(app, analytics.aggregate_with_comparison, ninety_days)  # the comparison reaches 180 days back
    assert min(rolled_days(app)) == (today - timedelta(days=89)).isoformat() == "2026-09-01"
