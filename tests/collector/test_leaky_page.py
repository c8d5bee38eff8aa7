"""The /leaky demo page, its "third party" files, and the CSP setting of the demo's pages."""

import pytest

from candor_server.web.security_headers import CONTENT_SECURITY_POLICY
from demo_site import create_app

ENFORCE = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


@pytest.fixture(autouse=True)
def no_csp_environment(monkeypatch):
    monkeypatch.delenv("CANDOR_CSP_MODE", raising=False)


@pytest.mark.parametrize("page_origin, third_party", [
    ("http://127.0.0.1:5000", "http://localhost:5000"),
    ("http://localhost:5000", "http://127.0.0.1:5000"),
    ("http://127.0.0.1", "http://localhost"),
])
def test_leaky_loads_a_pixel_and_a_script_from_the_other_host_name(client, page_origin, third_party):
    html = client.get("/leaky", base_url=page_origin).get_data(as_text=True)
    assert f'src="{third_party}/thirdparty/px.gif?page=leaky"' in html
    assert f'<script async src="{third_party}/thirdparty/spy.js"></script>' in html
    assert 'data-site="demo"' in html


@pytest.mark.parametrize("name, mimetype, start", [
    ("px.gif", "image/gif", b"GIF89a"),
    ("spy.js", "text/javascript", b"/*"),
])
def test_third_party_files_are_served_uncached(client, name, mimetype, start):
    response = client.get(f"/thirdparty/{name}?skim=x")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.get_data().startswith(start) and response.cache_control.no_store


def test_by_default_the_demo_pages_carry_only_the_sites_own_strict_policy(client):
    assert client.get("/").headers[ENFORCE] == CONTENT_SECURITY_POLICY
    leaky = client.get("/leaky")
    assert ENFORCE not in leaky.headers and REPORT_ONLY not in leaky.headers, "its tracker must load"
    assert leaky.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("mode, header", [("enforce", ENFORCE), ("report", REPORT_ONLY)])
def test_the_leaky_query_serves_the_recommended_policy(client, mode, header):
    response = client.get(f"/leaky?csp={mode}", base_url="https://pub.example")
    other = REPORT_ONLY if header == ENFORCE else ENFORCE
    assert response.headers[header].startswith("default-src 'self';")
    assert response.headers[header].endswith("; report-uri /csp-report?site=demo; report-to candor-csp")
    assert other not in response.headers
    assert response.headers["Reporting-Endpoints"] == 'candor-csp="/csp-report?site=demo"'
    assert f"<strong>{mode}</strong>" in response.get_data(as_text=True)


def test_over_http_the_policy_reports_through_report_uri_alone(client):
    response = client.get("/leaky?csp=enforce", base_url="http://127.0.0.1:5000")
    assert response.headers[ENFORCE].endswith("; report-uri /csp-report?site=demo")
    assert "Reporting-Endpoints" not in response.headers


def test_an_unknown_csp_query_is_refused(client):
    assert client.get("/leaky?csp=maybe").status_code == 400


@pytest.mark.parametrize("mode, header", [("enforce", ENFORCE), ("report", REPORT_ONLY)])
def test_the_setting_applies_to_every_demo_page_and_nothing_else(tmp_path, monkeypatch, dist_dir, mode, header):
    monkeypatch.setenv("CANDOR_CSP_MODE", mode)
    client = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "DIST_DIR": dist_dir}).test_client()
    for path in ("/", "/article/library-late-fees", "/leaky"):
        assert "report-uri" in client.get(path).headers[header], path
    for path in ("/optout", "/candor.min.js"):
        assert client.get(path).headers.get(header) in (None, CONTENT_SECURITY_POLICY), path
    report_answer = client.post("/csp-report?site=demo", data=b"{}", content_type="application/csp-report")
    assert report_answer.headers.get(header) in (None, CONTENT_SECURITY_POLICY)
    assert ENFORCE not in client.get("/leaky?csp=off").headers


def test_an_unknown_csp_setting_stops_start_up(tmp_path, monkeypatch):
    monkeypatch.setenv("CANDOR_CSP_MODE", "on")
    with pytest.raises(ValueError, match="CANDOR_CSP_MODE"):
        create_app({"DATA_DIR": str(tmp_path)})
