"""The server in each deployment layout of CONTRACT.md §5: the opt-out cookie scoped so the tag on
the site sees it, links and forms under a reverse proxy's prefix, and the settings for both."""

import pytest

from candor_server import create_app
from candor_server.settings import SettingsError, from_environment

NEWS_SITES = {"news": {"origins": ["http://www.news.localhost:5702"]}}


@pytest.fixture
def layout_app(tmp_path, dist_dir):
    def make(**config):
        return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SITES": NEWS_SITES,
                           "DIST_DIR": dist_dir, "DASHBOARD_PASSWORD": "x" * 16, **config})
    return make


def cookie_headers(response, name):
    return [header for header in response.headers.getlist("Set-Cookie") if header.startswith(name + "=")]


def domains(headers):
    found = set()
    for header in headers:
        attributes = dict(part.strip().partition("=")[::2] for part in header.split(";")[1:])
        found.add(attributes.get("Domain"))
    return found


@pytest.mark.parametrize("collector, expected", [
    ("http://stats.news.localhost:5701", {"news.localhost"}),
    ("http://analytics.localhost:5701", {None}),
    ("http://127.0.0.1:5701", {None}),
])
def test_the_opt_out_is_set_on_the_registrable_domain_only_when_the_site_is_same_site(
        layout_app, collector, expected):
    client = layout_app().test_client()
    response = client.post("/optout", base_url=collector)
    assert domains(cookie_headers(response, "candor_optout")) == expected


def test_the_same_site_check_follows_the_public_suffix_list(layout_app):
    """github.io is a public suffix: two users' pages there are different sites."""
    app = layout_app(SITES={"blog": {"origins": ["https://alice.github.io"]}})
    response = app.test_client().post("/optout", base_url="https://bob.github.io")
    assert domains(cookie_headers(response, "candor_optout")) == {None}


def test_opting_in_and_forgetting_the_id_expire_both_the_host_and_the_domain_cookie(layout_app):
    client = layout_app().test_client()
    opt_out = client.post("/optout", base_url="http://stats.news.localhost:5701")
    assert domains(cookie_headers(opt_out, "candor_id")) == {None, "news.localhost"}
    opt_in = client.post("/optin", base_url="http://stats.news.localhost:5701")
    headers = cookie_headers(opt_in, "candor_optout")
    assert domains(headers) == {None, "news.localhost"} and all("Max-Age=0" in h for h in headers)


def test_the_first_party_path_also_shares_the_sites_domain(layout_app):
    """Reached through the site's own proxy, the collector's host is the site's host."""
    client = layout_app(PROXIES=1).test_client()
    response = client.post("/optout", base_url="http://127.0.0.1:8000", headers={
        "X-Forwarded-Host": "www.news.localhost:5702", "X-Forwarded-Proto": "http", "X-Forwarded-Prefix": "/candor"})
    assert domains(cookie_headers(response, "candor_optout")) == {"news.localhost"}
    assert response.headers["Location"] == "/candor/optout"


def test_behind_a_trusted_proxy_links_and_forms_carry_its_prefix(layout_app):
    client = layout_app(PROXIES=1).test_client()
    html = client.get("/optout", headers={"X-Forwarded-Prefix": "/candor"}).get_data(as_text=True)
    assert 'action="/candor/optout"' in html and 'href="/candor/my-data"' in html
    assert 'href="/my-data"' not in html


def test_without_trusting_a_proxy_its_headers_change_nothing(layout_app):
    client = layout_app().test_client()
    html = client.get("/optout", headers={"X-Forwarded-Prefix": "/candor",
                                          "X-Forwarded-Host": "evil.example"}).get_data(as_text=True)
    assert 'action="/optout"' in html and "/candor/" not in html


@pytest.mark.parametrize("value, expected", [
    ("https://stats.news.example", "https://stats.news.example"),
    ("https://WWW.news.example/candor/", "https://www.news.example/candor"),
    ("", None),
])
def test_the_public_url_setting(tmp_path, value, expected):
    assert from_environment({"CANDOR_PUBLIC_URL": value}, str(tmp_path))["PUBLIC_URL"] == expected


@pytest.mark.parametrize("name, value", [
    ("CANDOR_PUBLIC_URL", "stats.news.example"), ("CANDOR_PUBLIC_URL", "ftp://stats.news.example"),
    ("CANDOR_PUBLIC_URL", "https://stats.news.example/?x=1"), ("CANDOR_PROXIES", "yes"), ("CANDOR_PROXIES", "9"),
    ("CANDOR_DASHBOARD_CACHE_MB", "lots"), ("CANDOR_DASHBOARD_CACHE_MB", "8"),
])
def test_a_malformed_deployment_setting_stops_the_start_naming_it(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        from_environment({name: value}, str(tmp_path))


def test_the_choice_page_says_where_the_choice_is_made_for_a_site_elsewhere(layout_app):
    client = layout_app().test_client()
    elsewhere = client.get("/optout", base_url="http://analytics.localhost:5701").get_data(as_text=True)
    assert 'id="choice-elsewhere"' in elsewhere and "<code>http://www.news.localhost:5702</code>" in elsewhere
    same_site = client.get("/optout", base_url="http://stats.news.localhost:5701").get_data(as_text=True)
    assert 'id="choice-elsewhere"' not in same_site

