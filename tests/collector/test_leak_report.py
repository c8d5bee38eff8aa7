"""The leakage report: leak events aggregated by registrable domain, invited domains left out,
the recommended policy, the publisher's "mark invited", and the partial the dashboard includes."""

import json

import pytest
from wire_samples import DASHBOARD_PASSWORD, PAGE_EVENT, TEST_SITES, batch

from candor_server.dashboard import leak_report
from candor_server.dashboard.leakage import leakage_for
from candor_server.domains import registrable_domain
from candor_server.storage import db
from demo_site import create_app

DAY_MS = 86_400_000
SITES = {**TEST_SITES, "demo": {"origins": ["self"], "allowedDomains": ["CDN.Example.com", "Bücher.example"]}}


@pytest.fixture
def app(tmp_path, dist_dir, clock):
    """The collector app, with invited third parties in the demo site's settings."""
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SITES": SITES,
                       "DIST_DIR": dist_dir, "DASHBOARD_PASSWORD": DASHBOARD_PASSWORD, "CLOCK": clock})


def leak(event_id, url, *hosts):
    return {**PAGE_EVENT, "id": event_id, "type": "leak", "url": url,
            "hosts": [{"host": host, "kind": kind, "n": n} for host, kind, n in hosts]}


def uuid(i):
    return f"00000000-0000-4000-8000-{i:012d}"


def send(client, *events):
    response = client.post("/collect", data=json.dumps(batch(events=list(events))), content_type="text/plain")
    assert response.status_code == 204


def report(app, site="demo"):
    with app.test_request_context("/dashboard", base_url="http://127.0.0.1:5000"):
        return leakage_for(site)


def test_leaks_are_grouped_by_registrable_domain_with_their_history(app, client, clock):
    first_ms = int(clock() * 1000)
    send(client, leak(uuid(1), "https://pub.example/a?email=x@y.example",
                      ("px.tracker.co.uk", "img", 2), ("js.tracker.co.uk", "script", 1), ("localhost", "img", 1)))
    clock.advance(days=1)
    send(client, leak(uuid(2), "https://pub.example/a?page=2",
                      ("px.tracker.co.uk", "img", 1), ("px.tracker.co.uk", "beacon", 3)),
         leak(uuid(3), "https://pub.example/b", ("px.tracker.co.uk", "fetch", 1)))
    tracker, localhost = report(app)["domains"]
    assert tracker == leak_report.LeakingDomain(
        domain="tracker.co.uk", hosts=("js.tracker.co.uk", "px.tracker.co.uk"),
        kinds=("beacon", "fetch", "img", "script"), requests=8, reports=3, pages=2,
        first_seen=first_ms, last_seen=first_ms + DAY_MS)
    assert (localhost.domain, localhost.reports, localhost.last_seen) == ("localhost", 1, first_ms)


def test_hosts_as_browsers_give_them_are_accepted_on_the_wire(app, client):
    send(client, leak(uuid(1), "https://pub.example/", ("[::1]", "img", 1), ("my_host.example", "img", 1)))
    assert {d.domain for d in report(app)["domains"]} == {"[::1]", "my_host.example"}


@pytest.mark.parametrize("host, domain", [
    ("a.b.example.com", "example.com"),
    ("px.tracker.co.uk", "tracker.co.uk"),
    ("user.github.io", "user.github.io"),
    ("localhost", "localhost"),
    ("127.0.0.2", "127.0.0.2"),
    ("[::1]", "[::1]"),
    ("xn--bcher-kva.example", "xn--bcher-kva.example"),
])
def test_registrable_domains_come_from_the_public_suffix_list(host, domain):
    assert registrable_domain(host) == domain


def test_invited_domains_and_their_subdomains_are_not_leaks(app, client):
    send(client, leak(uuid(1), "https://pub.example/", ("img.cdn.example.com", "img", 1),
                      ("xn--bcher-kva.example", "script", 1), ("evilcdn.example.com", "img", 1)))
    assert [d.domain for d in report(app)["domains"]] == ["example.com"]
    assert report(app)["domains"][0].hosts == ("evilcdn.example.com",)


def test_marking_invited_needs_the_dashboard_login(app, client):
    response = client.post("/leakage/invite", data={"site": "demo", "domain": "x.example"})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard/login"
    with app.app_context():
        assert db.invited_domains("demo") == []


def test_marking_a_domain_invited_moves_it_into_the_policy(app, dashboard_client):
    client = dashboard_client
    send(client, leak(uuid(1), "https://pub.example/", ("px.tracker.example", "img", 1)))
    response = client.post("/leakage/invite", data={"site": "demo", "domain": " Tracker.Example ", "next": "/dashboard"},
                           headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
    after = report(app)
    assert after["domains"] == []
    assert after["invited"] == ["cdn.example.com", "xn--bcher-kva.example", "tracker.example"]
    assert "tracker.example *.tracker.example" in after["policy"]


@pytest.mark.parametrize("form, headers, status, reason", [
    ({"site": "demo", "domain": "x.example"}, {"Origin": "https://evil.example"}, 403, "only works from this site"),
    ({"site": "demo", "domain": "x.example"}, {"Sec-Fetch-Site": "cross-site"}, 403, "only works from this site"),
    ({"site": "nope", "domain": "x.example"}, {}, 400, "unknown site"),
    ({"site": "demo", "domain": "https://x.example/p"}, {}, 400, "domain:"),
    ({"site": "demo"}, {}, 400, "domain:"),
])
def test_marking_invited_refuses_foreign_forms_and_bad_input(app, dashboard_client, form, headers, status, reason):
    response = dashboard_client.post("/leakage/invite", data=form, headers=headers)
    assert response.status_code == status and reason in response.get_data(as_text=True)
    with app.app_context():
        assert db.invited_domains("demo") == []


@pytest.mark.parametrize("next_page", ["https://evil.example/", "//evil.example/", "/\\evil.example", "evil.example",
                                       "/%2F/evil.example", "///evil.example", "javascript:alert(1)"])
def test_marking_invited_never_redirects_off_site(dashboard_client, next_page):
    response = dashboard_client.post("/leakage/invite", data={"site": "demo", "domain": "x.example", "next": next_page})
    location = response.headers["Location"]
    assert response.status_code == 303 and location in ("/dashboard?site=demo", next_page)
    assert location.startswith("/") and not location.startswith("//") and "evil.example/" not in location[:20]


@pytest.mark.parametrize("encoded", ["/%09/evil.example", "/%0D%0ASet-Cookie:%20x=1", "/%0A/evil.example",
                                     "%09//evil.example", "/%00/x"])
def test_a_next_with_control_characters_is_refused_and_changes_nothing(app, dashboard_client, encoded):
    """The form as a browser encodes it: /%09/evil.example arrives as a tab, which browsers drop from a Location."""
    response = dashboard_client.post("/leakage/invite", data=f"site=demo&domain=x.example&next={encoded}",
                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "control characters" in response.get_json()["error"]
    with app.app_context():
        assert db.invited_domains("demo") == []


def test_the_recommended_policy_lists_own_origins_collector_and_invited_domains():
    policy = leak_report.recommended_policy(
        ["https://partner.example"], "https://collector.example", ["cdn.example.com", "10.0.0.1"],
        "https://collector.example/csp-report?site=partner", True)
    assert policy == (
        "default-src 'self' https://partner.example https://collector.example cdn.example.com *.cdn.example.com"
        " 10.0.0.1; connect-src 'self' https://partner.example https://collector.example cdn.example.com"
        " *.cdn.example.com 10.0.0.1; object-src 'none'; base-uri 'self'; form-action 'self' https://partner.example"
        " https://collector.example cdn.example.com *.cdn.example.com 10.0.0.1;"
        " report-uri https://collector.example/csp-report?site=partner; report-to candor-csp")


def test_an_http_collector_gets_report_uri_only():
    """Browsers send Reporting API reports to secure endpoints only, and skip report-uri when
    report-to is named: on http, report-to would lose every report."""
    policy = leak_report.recommended_policy([], "http://127.0.0.1:5000", [], "http://127.0.0.1:5000/csp-report?site=demo",
                                            False)
    assert policy.endswith("; report-uri http://127.0.0.1:5000/csp-report?site=demo")
    assert leak_report.reporting_endpoints("http://127.0.0.1:5000/csp-report?site=demo", False) is None


def test_a_sites_policy_names_the_collector_by_its_public_url_never_the_host_asked_for(app):
    app.config["PUBLIC_URL"] = "https://collector.example/candor"
    with app.test_request_context("/", base_url="http://dashboard.internal:8000"):
        partner = leakage_for("partner")
    assert partner["policy"].startswith("default-src 'self' https://partner.example https://collector.example;")
    assert "connect-src 'self' https://partner.example https://collector.example;" in partner["policy"]
    assert "dashboard.internal" not in partner["policy"]
    assert partner["reporting_endpoints"] == 'candor-csp="https://collector.example/candor/csp-report?site=partner"'


def test_without_a_public_url_the_collector_is_the_pages_own_origin(app):
    with app.test_request_context("/", base_url="https://dashboard.internal"):
        partner = leakage_for("partner")
    assert partner["policy"].startswith("default-src 'self' https://partner.example;")
    assert partner["policy"].endswith("; report-uri /csp-report?site=partner; report-to candor-csp")
    assert "dashboard.internal" not in partner["policy"]


@pytest.mark.parametrize("allowed", ["cdn.example.com", ["https://cdn.example.com/"], [5]])
def test_malformed_allowed_domains_stop_start_up(tmp_path, allowed):
    with pytest.raises(ValueError, match="allowedDomains"):
        create_app({"DATA_DIR": str(tmp_path),
                    "SITES": {"demo": {"origins": ["self"], "allowedDomains": allowed}}})


@pytest.mark.parametrize("kind", ["<script>alert(1)</script>", "ann@example.com", "555 123 4567", "Img"])
def test_an_initiator_kind_that_is_not_a_word_is_refused(client, stored_events, kind):
    """Kinds come from the page: only initiator-type words are kept, so they cannot carry data or markup."""
    body = batch(events=[leak(uuid(1), "https://pub.example/", ("px.tracker.example", kind, 1))])
    response = client.post("/collect", data=json.dumps(body), content_type="text/plain")
    assert response.status_code == 400 and "kind" in response.get_json()["error"]
    assert stored_events() == []


def test_the_dashboard_partial_shows_leaks_violations_and_the_policy(app, client):
    send(client, leak(uuid(1), "https://pub.example/", ("px.tracker.example", "img", 1)))
    client.post("/csp-report?site=demo", content_type="application/csp-report", data=json.dumps({"csp-report": {
        "document-uri": "https://pub.example/", "blocked-uri": "https://px.tracker.example/p.gif",
        "effective-directive": "img-src", "disposition": "report"}}))
    with app.test_request_context("/dashboard", base_url="http://127.0.0.1:5000"):
        from flask import render_template_string
        html = render_template_string('{% set site = "demo" %}{% include "dashboard/leakage_report.html" %}')
    assert "<td>tracker.example</td>" in html and "<td>px.tracker.example</td>" in html
    assert "<td>img-src</td>" in html and "report only" in html
    assert 'name="domain" value="tracker.example"' in html
    assert "Content-Security-Policy: default-src &#39;self&#39; cdn.example.com" in html
    assert "report-uri /csp-report?site=demo</pre>" in html
    assert "Reporting-Endpoints" not in html and "report-to" not in html


def test_the_partial_without_a_site_shows_every_site(app):
    with app.test_request_context("/dashboard"):
        from flask import render_template
        html = render_template("dashboard/leakage_report.html")
    assert "<code>demo</code>" in html and "<code>partner</code>" in html
    assert html.count("No uninvited domain has been reported.") == 2
