"""The dashboard: a log-in with the configured or generated password, the
numbers of the last 90 days, and every beacon value rendered inert."""

import re
import stat
import time
from xml.etree import ElementTree

import pytest
from wire_samples import BATCH, DASHBOARD_PASSWORD, FIREFOX, PAGE_EVENT, TEST_SITES, batch, log_in, post

from demo_site import create_app

pytestmark = pytest.mark.databases("sqlite", "postgresql")

XSS = "<script>alert(1)</script>"
SVG = "{http://www.w3.org/2000/svg}"


def page_view(number, **fields):
    return {**PAGE_EVENT, "id": f"00000000-0000-4000-8000-{number:012d}", **fields}


def test_the_dashboard_asks_for_the_password_first(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/login"
    assert client.get("/dashboard/traffic.svg").status_code == 302
    assert client.get("/dashboard/export/visit:source.csv").status_code == 302
    assert 'type="password"' in client.get("/dashboard/login").get_data(as_text=True)


def test_a_wrong_password_is_refused(client):
    for wrong in ("", "correct horse", DASHBOARD_PASSWORD + " ", DASHBOARD_PASSWORD.upper()):
        response = log_in(client, wrong)
        assert response.status_code == 401
        assert "That password is not right" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_the_right_password_opens_it_with_a_safe_session_cookie(client):
    response = log_in(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("candor_dashboard=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert client.get("/dashboard").status_code == 200


def test_logging_out_closes_it(client):
    log_in(client)
    assert client.post("/dashboard/logout").status_code == 303
    assert client.get("/dashboard").status_code == 302


def test_a_session_dies_when_the_password_changes(app, client):
    log_in(client)
    app.config["DASHBOARD_PASSWORD"] = "a new password"
    assert client.get("/dashboard").status_code == 302


def test_a_foreign_page_cannot_log_anyone_in(client):
    response = client.post("/dashboard/login", data={"password": DASHBOARD_PASSWORD},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert client.get("/dashboard").status_code == 302


def test_without_a_configured_password_one_is_generated_stored_and_printed(tmp_path, dist_dir, capsys):
    config = {"DATA_DIR": str(tmp_path / "data"), "DIST_DIR": dist_dir, "SITES": TEST_SITES}
    app = create_app(config)
    password = app.config["DASHBOARD_PASSWORD"]
    stored = tmp_path / "data" / "dashboard-password"
    assert len(password) >= 20 and stored.read_text() == password + "\n"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert f"Candor dashboard password: {password}" in capsys.readouterr().err

    again = create_app(config)
    assert again.config["DASHBOARD_PASSWORD"] == password
    assert "dashboard password" not in capsys.readouterr().err
    client = again.test_client()
    assert log_in(client, password).status_code == 303


def test_the_environment_password_wins_and_nothing_is_generated(tmp_path, dist_dir, monkeypatch):
    monkeypatch.setenv("CANDOR_DASHBOARD_PASSWORD", "from the environment")
    app = create_app({"DATA_DIR": str(tmp_path), "DIST_DIR": dist_dir, "SITES": TEST_SITES})
    assert app.config["DASHBOARD_PASSWORD"] == "from the environment"
    assert not (tmp_path / "dashboard-password").exists()


def test_an_empty_password_file_stops_start_up(tmp_path, dist_dir):
    (tmp_path / "dashboard-password").write_text("\n")
    with pytest.raises(ValueError, match="is empty"):
        create_app({"DATA_DIR": str(tmp_path), "DIST_DIR": dist_dir, "SITES": TEST_SITES})


def panel_rows(page, prop):
    """[(value, visitors, ...)] of one breakdown panel of a dashboard page."""
    section = re.search(rf'<section data-card="[\w:]+" data-panel="{re.escape(prop)}">(.*?)</section>', page, re.S).group(1)
    rows = re.findall(r'<tr><td><a href="[^"]*" class="filter-link">(.*?)</a></td>(.*?)</tr>', section, re.S)
    return [(value, *re.findall(r'<td class="count">(\d+)', cells)) for value, cells in rows]


def test_it_shows_traffic_sources_browsers_and_opt_outs(client):
    events = [
        page_view(1, url="https://pub.example/a?id=7&utm_campaign=fall", ref="https://www.bing.com/search?q=river+path"),
        page_view(2, url="https://pub.example/a", ref="https://duckduckgo.com/?q=bakery"),
        page_view(3, url="https://pub.example/b", ref="https://t.co/x"),
    ]
    assert post(client, batch(events=events), headers={"User-Agent": FIREFOX}).status_code == 204
    other = batch(uid="1" * 32, events=[page_view(4, url="https://pub.example/b", ref="", tz="Asia/Tokyo")])
    assert post(client, other, headers={"User-Agent": FIREFOX}).status_code == 204
    post(client, BATCH, headers={"DNT": "1"})
    post(client, BATCH, headers={"Sec-GPC": "1"})
    post(client, BATCH, headers={"Sec-GPC": "1"})
    log_in(client)
    page = client.get("/dashboard").get_data(as_text=True)
    metrics = dict(re.findall(r'<li data-metric="(\w+)">.*?<strong class="value">([^<]+)</strong>', page, re.S))
    assert metrics == {"visitors": "2", "visits": "2", "pageviews": "4", "views_per_visit": "2.0",
                       "bounce_rate": "50%", "visit_duration": "0m 0s"}
    assert panel_rows(page, "event:page") == [("/b", "2", "2", "100"), ("/a", "1", "1", "50"),
                                              ("/a?utm_campaign=fall", "1", "1", "50")]
    assert panel_rows(page, "visit:source") == [("Bing", "1", "50"), ("Direct / None", "1", "50")]
    assert panel_rows(page, "visit:country") == [("FR", "1", "50"), ("JP", "1", "50")]
    assert panel_rows(page, "visit:browser") == [("Firefox", "2", "100")]
    assert 'data-panel="visit:channel"' not in page  # one tab per card
    tabs = client.get("/dashboard?sources=visit:channel&devices=visit:device_type").get_data(as_text=True)
    assert panel_rows(tabs, "visit:channel") == [("campaign", "1", "50"), ("direct", "1", "50")]
    assert panel_rows(tabs, "visit:device_type") == [("desktop", "2", "100")]
    link = re.search(r'<a href="([^"]+)" class="filter-link">campaign</a>', tabs).group(1).replace("&amp;", "&")
    assert "sources=visit:channel" in link  # filtering keeps the tabs
    optouts = re.search(r'<section id="optouts">(.*?)</section>', page, re.S).group(1)
    assert re.findall(r"<tr><td>(.*?)</td><td class=\"count\">(\d+)</td></tr>", optouts) == [
        ("Do Not Track", "1"), ("Global Privacy Control", "2"), ("Opted out", "0")]


def test_a_row_links_to_the_same_view_with_its_filter_added(client):
    assert post(client, batch(events=[page_view(1, url="https://pub.example/a", tz="Asia/Tokyo")])).status_code == 204
    assert post(client, batch(uid="2" * 32, events=[page_view(2, url="https://pub.example/b")])).status_code == 204
    log_in(client)
    page = client.get("/dashboard?period=7d").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" class="filter-link">JP</a>', page).group(1).replace("&amp;", "&")
    assert "period=7d" in link and "filters=visit:country%3D%3DJP" in link
    filtered = client.get(link).get_data(as_text=True)
    assert panel_rows(filtered, "event:page") == [("/a", "1", "1", "100")]
    assert 'data-filter="visit:country"' in filtered
    page_link = re.search(r'<a href="([^"]+)" class="filter-link">/a</a>', filtered).group(1).replace("&amp;", "&")
    both = client.get(page_link).get_data(as_text=True)
    assert 'data-filter="visit:country"' in both and 'data-filter="event:page"' in both


def test_a_bad_range_or_filter_is_a_400_with_the_reason(client):
    log_in(client)
    for query, reason in (("period=fortnight", "period must be one of"),
                          ("period=custom&date=2001-01-01,2001-01-02", "older data is deleted"),
                          ("filters=visit:ip==1.2.3.4", "unknown property"),
                          ("filters=visit:country", "needs == or !=")):
        response = client.get(f"/dashboard?{query}")
        assert response.status_code == 400 and reason in response.get_data(as_text=True), query


def test_the_chart_follows_the_range_from_the_first_data(client, clock):
    post(client, batch(events=[page_view(1), page_view(2)]))
    clock.advance(days=1)
    post(client, batch(uid="3" * 32, events=[page_view(3)]))
    log_in(client)
    response = client.get("/dashboard/traffic.svg?period=30d")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = ElementTree.fromstring(response.get_data())
    assert svg.tag == f"{SVG}svg"
    values = [float(value.text) for value in svg.iter(f"{SVG}desc") if value.get("class") == "value"]
    assert values == [1, 1, 2, 1]  # visitors per day, then page views per day: two days, not thirty
    assert not list(svg.iter(f"{SVG}script"))
    assert 'src="/dashboard/traffic.svg?site=demo&amp;period=30d' in client.get("/dashboard?period=30d").get_data(as_text=True)


def test_every_panel_exports_as_csv(client, clock):
    post(client, batch(events=[page_view(1, url="https://pub.example/=cmd")]))
    log_in(client)
    response = client.get("/dashboard/export/event:page.csv?period=7d")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).splitlines() == ["value,visitors,pageviews,visits,share", "/=cmd,1,1,1,100.0"]
    series = client.get("/dashboard/export/timeseries.csv?period=day").get_data(as_text=True).splitlines()
    hour = time.strftime("%Y-%m-%dT%H:00:00+00:00", time.gmtime(clock()))
    assert series[0].startswith("date,visitors") and series[1].startswith(f"{hour},1,1,100,")
    assert series[-1].startswith(time.strftime("%Y-%m-%dT23:00:00+00:00", time.gmtime(clock())))
    assert client.get("/dashboard/export/visit:nope.csv").status_code == 400


def test_goals_show_conversions_and_a_funnel_counts_steps(client):
    steps = [page_view(1, url="https://pub.example/pricing", ts=1), page_view(2, url="https://pub.example/signup", ts=2),
             {**page_view(3, ts=3), "type": "event", "name": "signup", "props": {"plan": "pro"}}]
    post(client, batch(events=steps))
    post(client, batch(uid="4" * 32, events=[page_view(4, url="https://pub.example/pricing")]))
    at_once = [page_view(5, url="https://pub.example/pricing", ts=5), page_view(6, url="https://pub.example/signup", ts=5)]
    post(client, batch(uid="5" * 32, events=at_once))  # a step must come strictly later
    backwards = [page_view(7, url="https://pub.example/signup", ts=1), page_view(8, url="https://pub.example/pricing", ts=2)]
    post(client, batch(uid="6" * 32, events=backwards))  # ...and after the step before
    log_in(client)
    assert client.post("/dashboard/goals?site=demo", data={"kind": "event", "value": "signup"}).status_code == 303
    assert client.post("/dashboard/goals?site=demo", data={"kind": "page", "value": "signup"}).status_code == 400
    page = client.get("/dashboard?funnel=page:/pricing,page:/signup,event:signup").get_data(as_text=True)
    goal_row = re.search(r'<tr data-goal="event:signup">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="count">([^<]+)</td>', goal_row) == ["1", "1", "25.0%"]
    assert re.findall(r'<li data-step="\d">[^<]*<strong>(\d+)</strong>', page) == ["4", "1", "1"]
    props = client.get("/dashboard?filters=event:name==signup").get_data(as_text=True)
    assert panel_rows(props, "event:props:plan") == [("pro", "1", "1", "100")]


def test_an_unknown_site_is_not_found(client):
    log_in(client)
    assert client.get("/dashboard?site=nope").status_code == 404
    assert client.get("/dashboard?site=partner").status_code == 200


def test_the_dashboard_includes_the_leakage_report(client):
    log_in(client)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "No uninvited domain has been reported." in page and "Content-Security-Policy" in page


def test_every_beacon_value_is_rendered_inert(client):
    hostile = page_view(
        1,
        url=f"https://pub.example/{XSS}",
        ref=f"https://www.bing.com/search?q={XSS}",
        title=XSS,
        attrs={XSS: XSS},
    )
    named = {**hostile, "id": "00000000-0000-4000-8000-000000000002", "type": "event", "name": XSS,
             "props": {"x": XSS}}
    assert post(client, batch(events=[hostile, named]), headers={"User-Agent": XSS}).status_code == 204
    log_in(client)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dashboard
    assert XSS not in dashboard and "<script" not in dashboard
    svg = ElementTree.fromstring(client.get("/dashboard/traffic.svg").get_data())
    assert not list(svg.iter(f"{SVG}script"))
    assert not [name for element in svg.iter() for name in element.attrib if name.startswith("on")]
    props = client.get(f"/dashboard?filters=event:name=={XSS}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in props and XSS not in props
    client.set_cookie("candor_id", BATCH["uid"])
    my_data = client.get("/my-data").get_data(as_text=True)
    assert my_data.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    assert XSS not in my_data and "<script" not in my_data


PARTNER_PASSWORD = "partner's own long password"


@pytest.fixture
def per_site_app(tmp_path, dist_dir):
    sites = {**TEST_SITES, "partner": {**TEST_SITES["partner"], "dashboardPassword": PARTNER_PASSWORD}}
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SITES": sites,
                       "DIST_DIR": dist_dir, "DASHBOARD_PASSWORD": DASHBOARD_PASSWORD})


def test_a_site_password_opens_that_site_only(per_site_app):
    client = per_site_app.test_client()
    response = log_in(client, PARTNER_PASSWORD)
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard?site=partner"
    assert client.get("/dashboard?site=partner").status_code == 200
    assert client.get("/dashboard").status_code == 200 and "Dashboard: partner" in client.get("/dashboard").get_data(as_text=True)
    for url in ("/dashboard?site=demo", "/dashboard/traffic.svg?site=demo", "/dashboard/export/event:page.csv?site=demo"):
        assert client.get(url).status_code == 404, url
    assert client.post("/dashboard/tokens?site=demo", data={"name": "x"}).status_code == 404
    assert client.post("/leakage/invite", data={"site": "demo", "domain": "cdn.example"}).status_code == 400
    admin = per_site_app.test_client()
    log_in(admin)
    assert admin.get("/dashboard?site=demo").status_code == 200 and admin.get("/dashboard?site=partner").status_code == 200


def test_a_short_site_password_stops_start_up(tmp_path, dist_dir):
    sites = {"demo": {"origins": ["self"], "dashboardPassword": "short"}}
    with pytest.raises(ValueError, match="at least 12 characters"):
        create_app({"DATA_DIR": str(tmp_path), "SITES": sites, "DIST_DIR": dist_dir})


def test_said_no_counts_are_per_site(client):
    post(client, batch(site="partner"), headers={"DNT": "1"})
    post(client, BATCH, headers={"Sec-GPC": "1"})
    log_in(client)

    def said_no(site):
        page = client.get(f"/dashboard?site={site}").get_data(as_text=True)
        section = re.search(r'<section id="optouts">(.*?)</section>', page, re.S).group(1)
        return re.findall(r"<tr><td>(.*?)</td><td class=\"count\">(\d+)</td></tr>", section)

    assert said_no("demo") == [("Do Not Track", "0"), ("Global Privacy Control", "1"), ("Opted out", "0")]
    assert said_no("partner") == [("Do Not Track", "1"), ("Global Privacy Control", "0"), ("Opted out", "0")]
