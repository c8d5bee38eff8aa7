"""The dashboard: a log-in with the configured or generated password, the
numbers of the last 90 days, and every beacon value rendered inert."""

import re
import stat
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
    assert client.get("/dashboard/page-views.svg").status_code == 302
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


def test_it_shows_traffic_sources_browsers_and_opt_outs(client):
    events = [
        page_view(1, url="https://pub.example/a", ref="https://www.bing.com/search?q=river+path"),
        page_view(2, url="https://pub.example/a", ref="https://duckduckgo.com/?q=bakery"),
        page_view(3, url="https://pub.example/b", ref="https://t.co/x"),
        page_view(4, url="https://pub.example/b", ref=""),
        page_view(5, url="https://pub.example/c", ref="https://pub.example/a"),
    ]
    assert post(client, batch(events=events), headers={"User-Agent": FIREFOX}).status_code == 204
    post(client, BATCH, headers={"DNT": "1"})
    post(client, BATCH, headers={"Sec-GPC": "1"})
    post(client, BATCH, headers={"Sec-GPC": "1"})
    log_in(client)
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<strong id="total-page-views">5</strong>' in page
    tables = dict(re.findall(r"<h2>([^<]+)</h2>\s*(?:<p>[^<]*</p>\s*)?<table>(.*?)</table>", page, re.S))

    def rows(heading):
        return re.findall(r"<tr><td>(.*?)</td><td class=\"count\">(\d+)</td></tr>", tables[heading])

    assert rows("Top pages") == [("https://pub.example/a", "2"), ("https://pub.example/b", "2"),
                                 ("https://pub.example/c", "1")]
    assert rows("Referrer types") == [("search", "2"), ("direct", "1"), ("internal", "1"), ("social", "1")]
    assert rows("Search engines") == [("Bing", "1"), ("DuckDuckGo", "1")]
    assert rows("Search terms") == [("bakery", "1"), ("river path", "1")]
    assert rows("Browsers") == [("Firefox", "5")]
    assert rows("Visitors who said no") == [("Do Not Track", "1"), ("Global Privacy Control", "2"),
                                            ("Opted out", "0")]


def test_the_chart_is_an_svg_of_page_views_per_day(client, clock):
    post(client, batch(events=[page_view(1), page_view(2)]))
    clock.advance(days=1)
    post(client, batch(events=[page_view(3)]))
    log_in(client)
    response = client.get("/dashboard/page-views.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = ElementTree.fromstring(response.get_data())
    assert svg.tag == f"{SVG}svg"
    bars = [float(value.text) for value in svg.iter(f"{SVG}desc") if value.get("class") == "value"]
    assert len(bars) == 90 and bars[-2:] == [2, 1] and sum(bars) == 3
    assert not list(svg.iter(f"{SVG}script"))
    assert 'src="/dashboard/page-views.svg?site=demo"' in client.get("/dashboard").get_data(as_text=True)


def test_the_top_pages_chart_shows_the_most_viewed_pages(client):
    post(client, batch(events=[page_view(1, url="https://pub.example/a"), page_view(2, url="https://pub.example/a"),
                               page_view(3, url="https://pub.example/b")]))
    log_in(client)
    svg = ElementTree.fromstring(client.get("/dashboard/top-pages.svg").get_data())
    labels = [text.text for text in svg.iter(f"{SVG}text") if text.text and text.text.startswith("https://")]
    values = [float(value.text) for value in svg.iter(f"{SVG}desc") if value.get("class") == "value"]
    assert labels[:2] == ["https://pub.example/b", "https://pub.example/a"] and values == [1, 2]


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
    for chart in ("/dashboard/page-views.svg", "/dashboard/top-pages.svg"):
        svg = ElementTree.fromstring(client.get(chart).get_data())
        assert not list(svg.iter(f"{SVG}script"))
        assert not [name for element in svg.iter() for name in element.attrib if name.startswith("on")]
    top_pages = client.get("/dashboard/top-pages.svg").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in top_pages and XSS not in top_pages
    client.set_cookie("candor_id", BATCH["uid"])
    my_data = client.get("/my-data").get_data(as_text=True)
    assert my_data.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    assert XSS not in my_data and "<script" not in my_data
