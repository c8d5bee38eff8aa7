"""Security headers on every response of the demo site: pages, the collector,
the bundle, errors; a CSP without inline script."""

import pytest
from wire_samples import BATCH, post

PATHS = ("/", "/article/library-late-fees", "/api-demo", "/optout", "/privacy", "/my-data", "/dashboard",
         "/dashboard/login", "/candor.min.js", "/static/candor.css", "/demo-static/site.css", "/no-such-page")


def assert_secured(response):
    csp = dict(directive.strip().split(" ", 1) for directive in response.headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'self'" and csp["object-src"] == "'none'" and csp["base-uri"] == "'none'"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("path", PATHS)
def test_every_page_gets_the_security_headers(client, path):
    assert_secured(client.get(path))


def test_collector_answers_get_them_too(client):
    assert_secured(post(client, BATCH))
    assert_secured(post(client, b"nope"))


def test_a_blueprint_added_after_the_app_was_built_keeps_its_own_policy(app):
    """A host application's own pages (here: a test's) are not given the demo's policy."""
    from flask import Blueprint

    extra = Blueprint("host_pages", __name__)
    extra.add_url_rule("/host", "host", lambda: "<script>inline()</script>")
    app.register_blueprint(extra)
    assert "Content-Security-Policy" not in app.test_client().get("/host").headers
