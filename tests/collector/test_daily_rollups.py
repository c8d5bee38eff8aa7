"""The dashboard's daily rollups (candor_server/dashboard/daily_rollups.py): closed days are
summed once and read back with the same numbers as the raw tables give; open days are read
live; a day's rollup is made again when what it summed changes (a visitor deleting their
data, a visit going on past the day) and goes with the retention window."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from wire_samples import PAGE_EVENT, batch, post

from candor_server.collector.visits import visitor_key
from candor_server.dashboard import analytics, daily_rollups
from candor_server.dashboard.analytics import Scope
from candor_server.dashboard.periods import period_from, utc_date
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


def rolled_days(app):
    with app.app_context(), db.engine().connect() as connection:
        return sorted(connection.execute(select(tables.rolled_day.c.day)).scalars())


def rollup_rows(app, day):
    with app.app_context(), db.engine().connect() as connection:
        return connection.execute(select(func.count()).select_from(tables.daily_rollup).where(tables.daily_rollup.c.day == day)).scalar()


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


def test_today_is_read_live_and_never_rolled(app, client, clock):
    clock.seconds = NOON
    assert post(client, page_view(1)).status_code == 204
    assert ask(app, analytics.aggregate, seven_days(app), ("pageviews",)) == {"pageviews": 1}
    assert post(client, page_view(2)).status_code == 204
    assert ask(app, analytics.aggregate, seven_days(app), ("pageviews",)) == {"pageviews": 2}
    assert "2026-11-29" not in rolled_days(app)


def test_yesterday_stays_open_for_the_first_half_hour(app, client, clock):
    clock.seconds = NOON - 12 * HOUR - 60  # 23:59 on 2026-11-28
    assert post(client, page_view(1)).status_code == 204
    clock.seconds = NOON - 12 * HOUR + 29 * 60  # 00:29
    ask(app, analytics.aggregate, seven_days(app))
    assert "2026-11-28" not in rolled_days(app)
    clock.seconds = NOON - 12 * HOUR + 30 * 60  # 00:30
    assert ask(app, analytics.aggregate, seven_days(app), ("visits",)) == {"visits": 1}
    assert "2026-11-28" in rolled_days(app)


def test_a_visit_going_on_past_its_rolled_day_has_the_day_rolled_again(app, client, clock):
    clock.seconds = NOON - 12 * HOUR - 60  # 23:59
    assert post(client, page_view(1)).status_code == 204
    for minute in range(10, 70, 10):  # a page every ten minutes until 01:00, the dashboard read after each
        clock.seconds = NOON - 12 * HOUR + minute * 60
        assert post(client, page_view(minute, f"/p{minute}")).status_code == 204
        ask(app, analytics.aggregate, seven_days(app))
    row = ask(app, analytics.aggregate, seven_days(app), ("visits", "visit_duration", "bounce_rate"))
    assert row == {"visits": 1, "visit_duration": 61 * 60, "bounce_rate": 0}


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
        sketches = connection.execute(select(tables.daily_rollup.c.visitors).where(tables.daily_rollup.c.day == "2026-11-26")).scalars()
        assert all(visitor_key(MINE) not in VisitorSketch.from_bytes(blob).keys for blob in sketches)


def test_rollups_go_with_the_retention_window(app, client, runner, clock):
    clock.seconds = NOON - 80 * 24 * HOUR
    assert post(client, page_view(1)).status_code == 204
    clock.seconds = NOON - 70 * 24 * HOUR
    assert runner.invoke(args=["rollup"]).output == "demo: rolled 89 days\npartner: rolled 89 days\n"
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
        assert daily_rollups.roll_day("demo", day) is True
        assert daily_rollups.roll_day("demo", day) is False
