"""The analytics on generated traffic sent through the real collector: every number
is compared with what tests/collector/traffic_truth.py computes from the beacons."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from traffic_truth import filtered, first_page, funnel_counts, page_visitors, path_of, totals, visitors_by, visits_of
from wire_samples import DASHBOARD_PASSWORD, TEST_SITES, TEXT_PLAIN, FakeClock, log_in, make_dist

from bench.traffic import generate, wire_body
from candor_server.dashboard import analytics, distinct
from candor_server.dashboard.analytics import Goal, Scope
from candor_server.dashboard.distinct import fits
from candor_server.dashboard.periods import period_from, utc_date
from candor_server.dashboard.properties import parse_filters
from candor_server.storage import db
from demo_site import create_app

NOW_MS = 1_764_400_000_000  # 2025-11-29 07:06 UTC
DAY_MS = 86_400_000


@pytest.fixture(scope="module")
def beacons():
    return generate(seed=15, visitors=220, first_ms=NOW_MS - 40 * DAY_MS, last_ms=NOW_MS)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request, tmp_path_factory, beacons):
    """An app that received every beacon at /collect at its own moment by its clock (built
    once per database, SQLite and the session's PostgreSQL: the numbers are only read)."""
    folder = tmp_path_factory.mktemp("analytics")
    if request.param == "postgresql":
        cluster = request.getfixturevalue("postgresql_cluster")
        database_url = cluster.create_database(f"analytics_{uuid.uuid4().hex[:12]}")
    else:
        database_url = f"sqlite:///{folder / 'candor.sqlite3'}"
    clock = FakeClock(NOW_MS / 1000)
    app = create_app({"TESTING": True, "DATA_DIR": str(folder), "DATABASE_URL": database_url, "SITES": TEST_SITES,
                      "DIST_DIR": make_dist(folder / "dist"), "DASHBOARD_PASSWORD": DASHBOARD_PASSWORD,
                      "CLOCK": clock, "COLLECT_RATE_LIMIT": "1000000 per minute"})
    client = app.test_client()
    for beacon in beacons:
        clock.seconds = beacon.received_at / 1000
        response = client.post("/collect", data=json.dumps(wire_body(beacon)), content_type=TEXT_PLAIN,
                               headers={"User-Agent": beacon.user_agent})
        assert response.status_code == 204, response.get_data()
    clock.seconds = NOW_MS / 1000
    yield app
    with app.app_context():
        db.engine().dispose()


ZONES = {"Europe/Paris": "FR", "America/New_York": "US", "Europe/Berlin": "DE", "Asia/Calcutta": "IN",
         "Europe/Kiev": "UA", "Asia/Tokyo": "JP", "America/Sao_Paulo": "BR", "Australia/Sydney": "AU"}


def scope(site="demo", period="30d", date=None, filters=""):
    today = utc_date(NOW_MS)
    return Scope(site, period_from(period, date, today, today - timedelta(days=89)), parse_filters(filters))


def ask(app, function, *args):
    with app.app_context(), db.engine().connect() as connection:
        return function(connection, *args)


def test_the_top_metrics_match_the_beacons_for_every_period(loaded, beacons):
    for period in ("day", "7d", "30d", "90d"):
        chosen = scope(period=period)
        expected = totals(beacons, chosen.period.start_ms, chosen.period.end_ms)
        assert ask(loaded, analytics.aggregate, chosen) == {m: expected[m] for m in analytics.METRICS}, period


def test_the_comparison_is_with_the_period_just_before(loaded, beacons):
    chosen = scope(period="7d")
    before = chosen.period.previous()
    expected_now = totals(beacons, chosen.period.start_ms, chosen.period.end_ms)
    expected_before = totals(beacons, before.start_ms, before.end_ms)
    compared = ask(loaded, analytics.aggregate_with_comparison, chosen)
    assert before.days == 7 and before.last == chosen.period.first - timedelta(days=1)
    for metric in ("visitors", "visits", "pageviews"):
        now, previous, change = compared[metric]
        assert (now, previous) == (expected_now[metric], expected_before[metric])
        assert change == round(100 * (now - previous) / previous)


def test_a_pause_of_thirty_minutes_starts_a_new_visit(loaded, beacons):
    visits = visits_of(beacons)
    by_visitor = {}
    for visit in visits:
        by_visitor.setdefault(visit["uid"], []).append(visit)
    gaps = [b["start"] - a["end"] for same in by_visitor.values() for a, b in zip(same, same[1:])]
    assert any(30 * 60_000 <= gap < 32 * 60_000 for gap in gaps)  # the generator pauses near the edge
    inner = [later[0] - earlier[0] for v in visits for earlier, later in zip(v["events"], v["events"][1:])]
    assert any(28 * 60_000 < gap < 30 * 60_000 for gap in inner)
    assert ask(loaded, analytics.aggregate, scope(period="90d"), ("visits",))["visits"] == len(visits)


def test_sources_channels_and_campaigns_match(loaded, beacons):
    chosen = scope(period="90d")
    visits = [v for v in visits_of(beacons) if chosen.period.start_ms <= v["start"] < chosen.period.end_ms]
    rows = ask(loaded, analytics.breakdown, chosen, "visit:utm_campaign", 20)
    assert {r["value"]: r["visitors"] for r in rows} == visitors_by(
        visits, lambda v: dict(p.split("=") for p in urlsplit_query(first_page(v)["url"])).get("utm_campaign"))
    channels = {r["value"]: r["visitors"] for r in ask(loaded, analytics.breakdown, chosen, "visit:channel", 10)}
    assert set(channels) == {"direct", "search", "social", "email", "campaign", "other"}
    sources = {r["value"]: r["visitors"] for r in ask(loaded, analytics.breakdown, chosen, "visit:source", 30)}
    from_google = visitors_by(visits, lambda v: "Google" if "google.com/search" in (first_page(v)["ref"] or "") else None)
    assert sources["Google"] == from_google["Google"]
    assert sources["Hacker News"] > 0 and sources["Direct / None"] > 0


def urlsplit_query(url):
    query = url.partition("?")[2]
    return [pair for pair in query.split("&") if "=" in pair]


def test_pages_keep_only_campaign_parameters_and_match(loaded, beacons):
    chosen = scope(period="30d")
    rows = ask(loaded, analytics.breakdown, chosen, "event:page", 200)
    expected = page_visitors(beacons, chosen.period.start_ms, chosen.period.end_ms)
    assert {r["value"]: r["visitors"] for r in rows} == expected
    assert any("utm_campaign=november" in r["value"] for r in rows)


def test_entry_pages_devices_and_countries_match(loaded, beacons):
    chosen = scope(period="90d")
    visits = [v for v in visits_of(beacons) if chosen.period.start_ms <= v["start"] < chosen.period.end_ms]
    entry = {r["value"]: r["visitors"] for r in ask(loaded, analytics.breakdown, chosen, "visit:entry_page", 500)}
    assert entry == visitors_by(visits, lambda v: path_of(v["events"][0][1]["url"]))
    countries = {r["value"]: r["visitors"] for r in ask(loaded, analytics.breakdown, chosen, "visit:country", 50)}
    assert countries == visitors_by(visits, lambda v: ZONES.get(v["events"][0][1]["tz"]))
    kinds = {r["value"]: r["visitors"] for r in ask(loaded, analytics.breakdown, chosen, "visit:device_type", 10)}
    assert kinds == visitors_by(visits, device_type)
    screens = {r["value"]: r["visitors"] for r in ask(loaded, analytics.breakdown, chosen, "visit:device", 10)}
    widths = {1920: "Desktop", 2560: "Desktop", 1440: "Desktop", 1366: "Laptop", 390: "Mobile", 412: "Mobile", 820: "Tablet"}
    assert screens == visitors_by(visits, lambda v: widths[v["events"][0][1]["sw"]])


def test_filters_combine(loaded, beacons):
    chosen = scope(period="90d", filters="visit:country==FR;event:page==/pricing")
    visits = [v for v in visits_of(beacons) if chosen.period.start_ms <= v["start"] < chosen.period.end_ms
              and v["events"][0][1]["tz"] == "Europe/Paris"
              and any(e["type"] == "page" and path_of(e["url"]) == "/pricing" for _, e in v["events"])]
    result = ask(loaded, analytics.aggregate, chosen, ("visitors", "visits", "pageviews"))
    assert result["visits"] == len(visits) > 0
    assert result["visitors"] == len({v["uid"] for v in visits})
    french = {b.uid for b in beacons if b.events[0]["tz"] == "Europe/Paris"}
    assert result["pageviews"] == sum(
        1 for b in beacons for e in b.events if b.uid in french and e["type"] == "page"
        and path_of(e["url"]) == "/pricing" and chosen.period.start_ms <= b.received_at < chosen.period.end_ms)


def device_type(visit):
    return "tablet" if "iPad" in visit["user_agent"] else "mobile" if "Mobile" in visit["user_agent"] else "desktop"


FILTERED_VIEWS = {
    "visit:country==FR": (lambda v: v["events"][0][1]["tz"] == "Europe/Paris", lambda e: True, False),
    # A page filter keeps the custom events sent from that page too, as Plausible's does.
    "event:page==/pricing": (lambda v: True, lambda e: path_of(e["url"]) == "/pricing", True),
    "visit:device_type!=mobile;event:name==download": (lambda v: device_type(v) != "mobile", lambda e: e.get("name") == "download", True),
    "visit:entry_page==/articles/*": (lambda v: path_of(first_page(v)["url"]).startswith("/articles/"), lambda e: True, False),
    "event:props:plan==pro": (lambda v: True, lambda e: (e.get("props") or {}).get("plan") == "pro", True),
    # A negated props filter keeps the events without the key, page views included (CONTRACT.md §6).
    "event:props:plan!=pro;visit:country==FR": (
        lambda v: v["events"][0][1]["tz"] == "Europe/Paris", lambda e: (e.get("props") or {}).get("plan") != "pro", True),
    "visit:country!=FR|DE;event:page!=/signup": (
        lambda v: v["events"][0][1]["tz"] not in ("Europe/Paris", "Europe/Berlin"), lambda e: path_of(e["url"]) != "/signup", True),
}


@pytest.mark.parametrize("filters", list(FILTERED_VIEWS))
def test_every_panel_of_a_filtered_view_matches_the_beacons(loaded, beacons, filters, monkeypatch):
    """Top metrics, chart, breakdowns and a goal under filters on visits and on events, each
    compared with the beacons, which the visit columns must count exactly."""
    chosen = scope(period="30d", filters=filters)
    visits, events = filtered(beacons, chosen.period.start_ms, chosen.period.end_ms, *FILTERED_VIEWS[filters])
    assert visits and events
    page_views = [e for _, e in events if e["type"] == "page"]
    assert ask(loaded, analytics.aggregate, chosen) == {
        "visitors": len({v["uid"] for v in visits}),
        "visits": len(visits),
        "pageviews": len(page_views),
        "events": len(events) - len(page_views),
        "bounce_rate": round(100 * sum(len(v["events"]) <= 1 for v in visits) / len(visits)),
        "visit_duration": round(sum(v["end"] - v["start"] for v in visits) / len(visits) / 1000),
        "views_per_visit": round(len(page_views) / len(visits), 2),
    }
    countries = {r["value"]: r["visitors"] for r in ask(loaded, analytics.breakdown, chosen, "visit:country", 50)}
    assert countries == visitors_by(visits, lambda v: ZONES.get(v["events"][0][1]["tz"]))
    by_path = {}
    for visit, event in events:
        if event["type"] == "page":
            uids, count, seen_in = by_path.get(path_of(event["url"]), (set(), 0, set()))
            by_path[path_of(event["url"])] = (uids | {visit["uid"]}, count + 1, seen_in | {(visit["uid"], visit["start"])})
    expected_pages = {path: (len(uids), count, len(seen_in)) for path, (uids, count, seen_in) in by_path.items()}
    for packed in (True, False):  # a page's visits by visitor and visit packed together, or (a site too large) by visit alone
        monkeypatch.setattr(distinct, "fits", lambda largest_id, size, packed=packed: packed and fits(largest_id, size))
        rows = ask(loaded, analytics.breakdown, chosen, "event:page", 500)
        pages = {r["value"]: (r["visitors"], r["pageviews"], r["visits"]) for r in rows}
        assert pages == expected_pages, packed
    monkeypatch.undo()
    names = {r["value"]: r["events"] for r in ask(loaded, analytics.breakdown, chosen, "event:name", 10)}
    assert names == {name: sum(e.get("name") == name for _, e in events) for name in {e.get("name") for _, e in events} - {None}}
    series = ask(loaded, analytics.timeseries, chosen, ("visits", "pageviews"))
    by_day = {moment.date(): values for moment, values in series}
    for day in {utc_date(v["start"]) for v in visits}:
        assert by_day[day]["visits"] == sum(utc_date(v["start"]) == day for v in visits)
    assert sum(values["pageviews"] for values in by_day.values()) == len(page_views)
    yesterday = scope(period="day", date=(utc_date(NOW_MS) - timedelta(days=1)).isoformat(), filters=filters)
    visits_then, _ = filtered(beacons, yesterday.period.start_ms, yesterday.period.end_ms, *FILTERED_VIEWS[filters])
    hourly = ask(loaded, analytics.timeseries, yesterday, ("visits",))
    assert len(hourly) == 24 and [values["visits"] for _, values in hourly] == [
        sum(hour.timestamp() * 1000 <= v["start"] < hour.timestamp() * 1000 + 3_600_000 for v in visits_then) for hour, _ in hourly]
    [pricing] = ask(loaded, analytics.conversions, chosen, [Goal("page", "/pric*")])
    pricing_views = [(visit, e) for visit, e in events if e["type"] == "page" and path_of(e["url"]).startswith("/pric")]
    assert (pricing["visitors"], pricing["events"]) == (len({visit["uid"] for visit, _ in pricing_views}), len(pricing_views))
    steps = [("page", "/pricing"), ("page", "/signup"), ("event", "signup")]
    reached = ask(loaded, analytics.funnel, chosen, [Goal(kind, value) for kind, value in steps])
    assert [count for _, count in reached] == funnel_counts(visits, steps)


def test_custom_events_goals_and_the_funnel_match(loaded, beacons):
    chosen = scope(period="90d")
    start, end = chosen.period.start_ms, chosen.period.end_ms
    signups = [(b.uid, e) for b in beacons for e in b.events if e.get("name") == "signup" and start <= b.received_at < end]
    names = {r["value"]: (r["visitors"], r["events"]) for r in ask(loaded, analytics.breakdown, chosen, "event:name", 10)}
    assert names["signup"] == (len({uid for uid, _ in signups}), len(signups))
    plans = {r["value"]: r["events"] for r in ask(
        loaded, analytics.breakdown, scope(period="90d", filters="event:name==signup"), "event:props:plan", 10)}
    assert plans == {plan: sum(1 for _, e in signups if e["props"]["plan"] == plan) for plan in ("free", "pro")}
    [signup, pricing] = ask(loaded, analytics.conversions, chosen, [Goal("event", "signup"), Goal("page", "/pric*")])
    total = totals(beacons, start, end)["visitors"]
    assert signup["visitors"] == len({uid for uid, _ in signups})
    assert signup["conversion_rate"] == round(100 * signup["visitors"] / total, 1)
    assert pricing["visitors"] == page_visitors(beacons, start, end)["/pricing"]
    steps = [("page", "/pricing"), ("page", "/signup"), ("event", "signup")]
    visits = [v for v in visits_of(beacons) if start <= v["start"] < end]
    reached = ask(loaded, analytics.funnel, chosen, [Goal(kind, value) for kind, value in steps])
    assert [count for _, count in reached] == funnel_counts(visits, steps)
    assert reached[-1][1] > 0
    assert ask(loaded, analytics.funnel, chosen, [Goal("event", "sign*")])[0][1] == 0  # event names are matched exactly
    pro = [v for v in visits if any(e.get("props", {}).get("plan") == "pro" for _, e in v["events"])]
    reached = ask(loaded, analytics.funnel, scope(period="90d", filters="event:props:plan==pro"), [Goal(k, v) for k, v in steps])
    assert [count for _, count in reached] == funnel_counts(pro, steps)
    assert reached[-1][1] > 0


def test_the_timeseries_adds_up_and_starts_with_the_data(loaded, beacons):
    chosen = scope(period="90d")
    series = ask(loaded, analytics.timeseries, chosen, ("visits", "pageviews"))
    first_day = utc_date(beacons[0].received_at)
    assert series[0][0].date() == first_day  # not 90 days of zeros before the first visit
    assert series[-1][0].date() == utc_date(NOW_MS)
    expected = totals(beacons, chosen.period.start_ms, chosen.period.end_ms)
    assert sum(values["visits"] for _, values in series) == expected["visits"]
    assert sum(values["pageviews"] for _, values in series) == expected["pageviews"]


def test_realtime_counts_the_last_five_minutes(loaded, beacons):
    now = beacons[-1].received_at + 60_000
    recent = [b for b in beacons if b.received_at >= now - 5 * 60_000]
    visitors, pages = ask(loaded, analytics.realtime, "demo", now)
    active = {v["uid"] for v in visits_of(beacons) if v["end"] >= now - 5 * 60_000}
    assert visitors == len(active)
    current = {}
    for visit in visits_of(beacons):
        pages_seen = [path_of(e["url"]) for _, e in visit["events"] if e["type"] == "page"]
        if visit["end"] >= now - 5 * 60_000 and pages_seen:
            current.setdefault(pages_seen[-1], set()).add(visit["uid"])
    assert dict(pages) == {page: len(uids) for page, uids in current.items()}
    assert recent and visitors > 0


@pytest.fixture(scope="module")
def api(loaded):
    """A client and a token for site demo, created the way a publisher does: in the dashboard."""
    client = loaded.test_client()
    log_in(client)
    response = client.post("/dashboard/tokens?site=demo", data={"name": "reporting"})
    assert response.status_code == 201
    token = re.search(r'<code id="new-token">([^<]+)</code>', response.get_data(as_text=True)).group(1)

    def get(path, token=token, **params):
        return client.get(f"/api/v1/stats/{path}", query_string={"site_id": "demo", **params},
                          headers={"Authorization": f"Bearer {token}"} if token else {})

    return get


def test_the_api_aggregate_matches_the_beacons(api, beacons):
    chosen = scope(period="30d")
    expected = totals(beacons, chosen.period.start_ms, chosen.period.end_ms)
    metrics = "visitors,visits,pageviews,views_per_visit,bounce_rate,visit_duration,events"
    response = api("aggregate", period="30d", metrics=metrics)
    assert response.status_code == 200
    assert response.json == {"results": {m: {"value": expected[m]} for m in metrics.split(",")}}
    compared = api("aggregate", period="7d", metrics="visitors", compare="previous_period").json["results"]
    assert set(compared["visitors"]) == {"value", "change"}


def test_the_api_breakdown_and_timeseries_match_the_beacons(api, beacons):
    chosen = scope(period="30d")
    pages = api("breakdown", period="30d", property="event:page", metrics="visitors,pageviews", limit="1000").json
    expected = page_visitors(beacons, chosen.period.start_ms, chosen.period.end_ms)
    assert {row["page"]: row["visitors"] for row in pages["results"]} == expected
    assert set(pages["results"][0]) == {"page", "visitors", "pageviews"}
    top = api("breakdown", period="30d", property="visit:source", limit="3", page="1").json["results"]
    assert len(top) == 3 and top[0]["visitors"] >= top[1]["visitors"] >= top[2]["visitors"]
    series = api("timeseries", period="30d", metrics="visits,pageviews").json["results"]
    assert series[-1]["date"] == utc_date(NOW_MS).isoformat()
    expected_totals = totals(beacons, chosen.period.start_ms, chosen.period.end_ms)
    assert sum(point["visits"] for point in series) == expected_totals["visits"]
    assert sum(point["pageviews"] for point in series) == expected_totals["pageviews"]
    filtered = api("aggregate", period="90d", metrics="visitors", filters="visit:country==JP;event:name==signup").json
    japanese_signups = {b.uid for b in beacons if b.events[0]["tz"] == "Asia/Tokyo"
                        and any(e.get("name") == "signup" for e in b.events)}
    assert filtered["results"]["visitors"]["value"] == len(japanese_signups)


def test_the_api_realtime_visitors_is_a_number(api, beacons):
    active = {v["uid"] for v in visits_of(beacons) if v["end"] >= NOW_MS - 5 * 60_000}
    assert api("realtime/visitors").json == len(active)


def test_the_api_refuses_with_a_json_reason(api, loaded):
    assert api("aggregate", token=None).status_code == 401
    assert "missing API token" in api("aggregate", token=None).json["error"]
    assert api("aggregate", token="cnd_forged").json == {"error": "invalid API token"}
    for params, reason in ((dict(site_id="partner"), "does not open site 'partner'"),
                           (dict(metrics="visitors,revenue"), "unsupported metric revenue"),
                           (dict(period="forever"), "period must be one of"),
                           (dict(filters="visit:city==Paris"), "unknown property 'visit:city'")):
        response = api("aggregate", **params)
        assert response.status_code in (400, 403) and reason in response.json["error"], params
    assert api("breakdown", property="event:name", metrics="bounce_rate").status_code == 400
    with loaded.app_context(), db.engine().connect() as connection:
        stored = connection.exec_driver_sql("SELECT digest, prefix FROM api_token").all()
    assert stored and all(len(digest) == 64 and len(prefix) == 10 for digest, prefix in stored)
