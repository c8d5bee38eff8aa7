"""POST /csp-report: violation reports in both browser formats are stored host-only; anything
else is refused with a reason, never a 500."""

import json

import pytest

CLASSIC = {"csp-report": {
    "document-uri": "http://127.0.0.1:5000/leaky?email=a@b.example",
    "referrer": "",
    "violated-directive": "img-src",
    "effective-directive": "img-src",
    "original-policy": "default-src 'self'; report-uri /csp-report?site=demo",
    "disposition": "enforce",
    "blocked-uri": "http://localhost:5000/thirdparty/px.gif?page=leaky",
    "status-code": 200,
}}
REPORTING_API = [
    {"type": "csp-violation", "age": 10, "url": "http://127.0.0.1:5000/leaky", "user_agent": "UA",
     "body": {"documentURL": "http://127.0.0.1:5000/leaky?x=1", "blockedURL": "http://localhost:5000/thirdparty/spy.js",
              "effectiveDirective": "script-src-elem", "disposition": "report", "originalPolicy": "..."}},
    {"type": "deprecation", "age": 1, "url": "http://127.0.0.1:5000/", "body": {"id": "x"}},
    {"type": "csp-violation", "age": 12, "url": "http://127.0.0.1:5000/leaky",
     "body": {"documentURL": "http://127.0.0.1:5000/leaky", "blockedURL": "inline",
              "effectiveDirective": "script-src-elem", "disposition": "enforce"}},
]


def post_report(client, body, content_type="application/csp-report", site="demo"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    query = "" if site is None else f"?site={site}"
    return client.post("/csp-report" + query, data=data, content_type=content_type)


@pytest.fixture
def stored_violations(app):
    def read():
        with app.app_context():
            from candor_server.storage import db
            return db.csp_violations()
    return read


def test_a_classic_report_is_stored_with_hosts_and_paths_only(client, stored_violations):
    assert post_report(client, CLASSIC).status_code == 204
    assert stored_violations() == [{"site": "demo", "document": "http://127.0.0.1:5000/leaky",
                                    "blocked": "localhost", "directive": "img-src", "disposition": "enforce"}]


def test_a_reporting_api_batch_keeps_its_csp_violations_only(client, stored_violations):
    assert post_report(client, REPORTING_API, "application/reports+json").status_code == 204
    assert [(v["blocked"], v["directive"], v["disposition"]) for v in stored_violations()] == [
        ("localhost", "script-src-elem", "report"), ("inline", "script-src-elem", "enforce")]


def test_older_engines_name_the_directive_in_violated_directive(client, stored_violations):
    report = {"csp-report": {**CLASSIC["csp-report"], "violated-directive": "img-src 'self'"}}
    del report["csp-report"]["effective-directive"], report["csp-report"]["disposition"]
    assert post_report(client, report).status_code == 204
    [violation] = stored_violations()
    assert violation["directive"] == "img-src" and violation["disposition"] == "enforce"


def test_a_batch_without_csp_violations_stores_nothing(client, stored_violations):
    assert post_report(client, REPORTING_API[1:2], "application/reports+json").status_code == 204
    assert stored_violations() == []


@pytest.mark.parametrize("site, status, reason", [
    (None, 400, "site: required"),
    ("nope", 403, "unknown site"),
])
def test_the_site_comes_from_the_query_and_must_exist(client, stored_violations, site, status, reason):
    response = post_report(client, CLASSIC, site=site)
    assert response.status_code == status and reason in response.json["error"]
    assert stored_violations() == []


def csp(**fields):
    return {"csp-report": {**CLASSIC["csp-report"], **fields}}


WRONG = {
    "form-encoded": (CLASSIC, "application/x-www-form-urlencoded", "Content-Type"),
    "no-content-type": (CLASSIC, "", "Content-Type"),
    "not-json": (b"{", "application/csp-report", "not JSON"),
    "not-utf8": (b"\xff\xfe", "application/csp-report", "not JSON"),
    "deep": (b"[" * 10000, "application/reports+json", "not JSON"),
    "classic-without-wrapper": (CLASSIC["csp-report"], "application/csp-report", "csp-report"),
    "classic-list": ([CLASSIC], "application/csp-report", "csp-report"),
    "no-document": (csp(**{"document-uri": None}), "application/csp-report", "document-uri"),
    "document-not-http": (csp(**{"document-uri": "about:blank"}), "application/csp-report", "http(s) URL"),
    "document-bad-ipv6": (csp(**{"document-uri": "http://[::1/x"}), "application/csp-report", "http(s) URL"),
    "blocked-number": (csp(**{"blocked-uri": 5}), "application/csp-report", "blocked-uri"),
    "blocked-garbage": (csp(**{"blocked-uri": "<script>"}), "application/csp-report", "blocked-uri"),
    "directive-garbage": (csp(**{"effective-directive": "<b>"}), "application/csp-report", "directive"),
    "disposition-other": (csp(disposition="maybe"), "application/csp-report", "enforce or report"),
    "huge-field": (csp(**{"blocked-uri": "http://x.example/" + "a" * 3000}), "application/csp-report", "at most"),
    "reports-object": ({"type": "csp-violation"}, "application/reports+json", "list of 1 to 20"),
    "reports-empty": ([], "application/reports+json", "list of 1 to 20"),
    "reports-too-many": (REPORTING_API[:1] * 21, "application/reports+json", "list of 1 to 20"),
    "report-not-object": (["x"], "application/reports+json", "[0]: expected a report"),
    "report-body-missing": ([{"type": "csp-violation"}], "application/reports+json", "[0].body"),
}


@pytest.mark.parametrize("body, content_type, reason", WRONG.values(), ids=WRONG.keys())
def test_malformed_reports_are_refused_with_a_reason(client, stored_violations, body, content_type, reason):
    response = post_report(client, body, content_type)
    assert response.status_code == 400
    assert reason in response.json["error"]
    assert stored_violations() == []


def test_a_body_over_the_cap_is_refused_before_it_is_read(client, stored_violations):
    response = post_report(client, b"{" + b" " * 17000 + b"}")
    assert response.status_code == 413 and "16384" in response.json["error"]
    assert stored_violations() == []
