"""The production server (`candor_server.create_app`) on its own: no demo pages, no site
accepted by default, and a sites file whose origins are checked before the first beacon."""

import json

import pytest
from wire_samples import BATCH, DASHBOARD_PASSWORD, log_in

import candor_server
from candor_server.settings import SettingsError

NEWS_ORIGIN = "https://www.news.example"


@pytest.fixture
def sites_file(tmp_path):
    def write(sites):
        path = tmp_path / "sites.json"
        path.write_text(json.dumps(sites))
        return str(path)

    return write


@pytest.fixture
def production_app(tmp_path, dist_dir, sites_file, monkeypatch):
    monkeypatch.setenv("CANDOR_SITES", sites_file({"news": {"origins": [NEWS_ORIGIN]}}))
    monkeypatch.setenv("CANDOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CANDOR_DASHBOARD_PASSWORD", DASHBOARD_PASSWORD)
    return candor_server.create_app({"DIST_DIR": dist_dir})


def test_production_refuses_to_start_without_a_sites_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CANDOR_DATA_DIR", str(tmp_path))
    with pytest.raises(SettingsError) as refused:
        candor_server.create_app()
    message = str(refused.value)
    assert "CANDOR_SITES" in message and "\\n" not in message


@pytest.mark.parametrize(
    "origin, reason",
    [
        ("www.news.example", "no scheme"),
        ("https://www.news.example/blog", "a path"),
        ("https://www.news.example/?utm=1", "a query"),
        ("https://www.news.example#top", "a fragment"),
        ("ftp://www.news.example", "not http(s)"),
    ],
)
def test_an_origin_that_can_never_match_stops_the_start(tmp_path, sites_file, monkeypatch, origin, reason):
    monkeypatch.setenv("CANDOR_SITES", sites_file({"news": {"origins": [origin]}}))
    monkeypatch.setenv("CANDOR_DATA_DIR", str(tmp_path))
    with pytest.raises(SettingsError, match="can never match"):
        candor_server.create_app()


def test_origins_are_normalised_at_start_up(tmp_path, sites_file, monkeypatch):
    monkeypatch.setenv("CANDOR_SITES", sites_file(
        {"news": {"origins": ["HTTPS://WWW.News.Example:443/", "http://stats.news.example:8080", "self"]}}))
    monkeypatch.setenv("CANDOR_DATA_DIR", str(tmp_path))
    app = candor_server.create_app()
    assert app.config["SITES"]["news"]["origins"] == [
        "https://www.news.example", "http://stats.news.example:8080", "self"]


def test_a_normalised_origin_accepts_the_browsers_origin_header(production_app):
    client = production_app.test_client()
    answer = client.post("/collect", json={**BATCH, "site": "news"}, headers={"Origin": NEWS_ORIGIN})
    assert answer.status_code == 204


@pytest.mark.parametrize("path", ["/", "/article/river-path-reopens", "/api-demo", "/leaky",
                                  "/thirdparty/spy.js", "/demo-static/site.css"])
def test_the_demo_pages_are_not_part_of_the_server(production_app, path):
    assert production_app.test_client().get(path).status_code == 404


def test_the_server_answers_beacons_choices_data_and_the_dashboard(production_app):
    client = production_app.test_client()
    assert client.post("/collect", json={**BATCH, "site": "news"}, headers={"Origin": NEWS_ORIGIN}).status_code == 204
    assert client.post("/collect", json=BATCH, headers={"Origin": NEWS_ORIGIN}).status_code == 403
    assert "Your privacy choice" in client.get("/optout").get_data(as_text=True)
    assert client.get("/my-data").status_code == 200
    assert client.get("/dashboard").status_code == 302
    log_in(client)
    page = client.get("/dashboard?site=news").get_data(as_text=True)
    assert "Dashboard: news" in page
