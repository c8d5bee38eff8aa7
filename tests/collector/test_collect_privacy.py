"""What the collector keeps beyond the wire: PII scrubbed again, session data
derived from the referrer and the User-Agent, nothing from the IP address, and
only an anonymous daily count of visitors who said no."""

import pytest
from sqlalchemy import MetaData, inspect, select
from wire_samples import BATCH, FIREFOX, batch, batch_with_event, post

from candor_server.clock import utc_day
from candor_server.storage import db
from candor_server.storage.tables import said_no_daily

VISITOR_ADDRESS = "203.0.113.77"


def all_stored_text(app):
    """Every value in every table the database holds, as text: what a leak of it would show."""
    with app.app_context(), db.engine().connect() as connection:
        tables = MetaData()
        tables.reflect(connection, only=inspect(connection).get_table_names())
        return [str(value) for table in tables.sorted_tables for row in connection.execute(select(table))
                for value in row]


def optout_rows(app, *columns):
    with app.app_context(), db.engine().connect() as connection:
        statement = select(*(said_no_daily.c[column] for column in columns)).order_by(*columns)
        return [tuple(row) for row in connection.execute(statement)]


def test_pii_the_tag_missed_is_scrubbed_before_storage(client, stored_events):
    body = batch_with_event(
        url="https://pub.example/a?email=jo@example.com&x=1",
        ref="https://search.example/?q=call+me+on+%2B44+20+7946+0958",
        title="Order for jo.doe@example.com",
        attrs={"card": "4111 1111 1111 1111"},
    )
    assert post(client, body).status_code == 204
    [event] = stored_events()
    assert event["url"] == "https://pub.example/a?email=&x=1"
    assert event["title"] == "Order for [email]"
    assert event["attrs"] == {"card": "[card]"}
    assert "7946" not in event["ref"] and "[phone]" in event["ref"]


def test_props_of_named_events_are_scrubbed_too(client, stored_events):
    named = {**BATCH["events"][0], "type": "event", "name": "signup", "props": {"who": "me@example.org", "n": 3}}
    assert post(client, batch(events=[named])).status_code == 204
    assert stored_events()[0]["props"] == {"who": "[email]", "n": 3}


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (None, ("direct", None, None)),
        ("", ("direct", None, None)),
        ("https://pub.example/earlier", ("internal", "pub.example", None)),
        ("https://www.google.com/", ("search", "Google", None)),
        ("https://www.bing.com/search?q=river+path", ("search", "Bing", "river path")),
        ("https://duckduckgo.com/?q=bakery%20fifty", ("search", "DuckDuckGo", "bakery fifty")),
        ("https://l.facebook.com/l.php?u=x", ("social", "Facebook", None)),
        ("https://t.co/abc", ("social", "X (Twitter)", None)),
        ("https://blog.example.net/links", ("other", "blog.example.net", None)),
    ],
)
def test_the_referrer_is_classified(client, stored_events, ref, expected):
    assert post(client, batch_with_event(url="https://pub.example/a", ref=ref)).status_code == 204
    [event] = stored_events()
    assert (event["ref_type"], event["ref_source"], event["ref_terms"]) == expected


def test_search_terms_are_taken_from_the_scrubbed_referrer(client, stored_events):
    ref = "https://www.bing.com/search?q=jo%40example.com"
    assert post(client, batch_with_event(ref=ref)).status_code == 204
    assert stored_events()[0]["ref_terms"] == "[email]"


@pytest.mark.parametrize(
    ("user_agent", "family"),
    [
        (FIREFOX, "Firefox"),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
         "Chrome"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
         " Version/18.0 Mobile/15E148 Safari/604.1", "Mobile Safari"),
        ("", "Other"),
        ("<script>alert(1)</script>" * 100, "Other"),
    ],
)
def test_the_browser_family_comes_from_the_user_agent(client, stored_events, user_agent, family):
    assert post(client, BATCH, headers={"User-Agent": user_agent}).status_code == 204
    assert stored_events()[0]["browser"] == family


def test_the_ip_address_is_not_stored(app, client):
    response = post(client, BATCH, environ_base={"REMOTE_ADDR": VISITOR_ADDRESS},
                    headers={"X-Forwarded-For": VISITOR_ADDRESS})
    assert response.status_code == 204
    stored = all_stored_text(app)
    assert BATCH["uid"] in stored
    assert not any(VISITOR_ADDRESS in value for value in stored)


@pytest.mark.parametrize(
    ("signals", "reasons"),
    [
        ({"headers": {"DNT": "1"}}, {"dnt": 1}),
        ({"headers": {"Sec-GPC": "1"}}, {"gpc": 1}),
        ({"cookie": True}, {"optout": 1}),
        ({"headers": {"DNT": "1", "Sec-GPC": "1"}}, {"dnt": 1, "gpc": 1}),
    ],
    ids=["dnt", "gpc", "optout-cookie", "dnt-and-gpc"],
)
def test_a_visitor_who_said_no_is_only_counted_per_day_site_and_reason(app, client, clock, signals, reasons):
    if signals.get("cookie"):
        client.set_cookie("candor_optout", "1")
    response = post(client, BATCH, headers=signals.get("headers", {}),
                    environ_base={"REMOTE_ADDR": VISITOR_ADDRESS})
    assert response.status_code == 204
    with app.app_context():
        assert db.count_events() == 0
    rows = optout_rows(app, "reason", "day", "site", "count")
    expected = [(utc_day(clock()), "demo", reason, count) for reason, count in sorted(reasons.items())]
    assert [(day, site, reason, count) for reason, day, site, count in rows] == expected
    assert not any(BATCH["uid"] in value or VISITOR_ADDRESS in value
                   for value in all_stored_text(app))


def test_daily_totals_add_up_and_start_again_the_next_day(app, client, clock):
    for _ in range(3):
        post(client, BATCH, headers={"DNT": "1"})
    clock.advance(days=1)
    post(client, BATCH, headers={"DNT": "1"})
    rows = optout_rows(app, "day", "count")
    assert rows == [(utc_day(clock() - 86_400), 3), (utc_day(clock()), 1)]


@pytest.mark.parametrize(("body", "headers"), [
    (b"garbage", {}),
    (batch(site="someone-else"), {}),
    (batch(uid="admin"), {}),
    (BATCH, {"Origin": "https://evil.example"}),
], ids=["garbage", "unknown-site", "bad-uid", "foreign-origin"])
@pytest.mark.parametrize("signal", [{"DNT": "1"}, {"Sec-GPC": "1"}], ids=["dnt", "gpc"])
def test_only_well_formed_beacons_for_a_known_site_from_an_allowed_origin_count_as_said_no(
        app, client, body, headers, signal):
    assert post(client, body, headers={**headers, **signal}).status_code in (400, 403)
    with app.app_context():
        assert all(db.optout_totals(site, "0000-00-00") == {} for site in (*app.config["SITES"], ""))
