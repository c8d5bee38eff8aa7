"""Data leakage in real browsers: the /leaky demo page requests a pixel and a script from a
second host name of the test server (`localhost` for a page on 127.0.0.1), so what the tag
reports is what the engine really did. Counted at the collector, as every browser test."""
import threading

import pytest
from leaks import SETTLE_MS
from selenium.webdriver.support.ui import WebDriverWait
from tag_probe import QUIET_SECONDS, page_errors, tag_status, unique_marker, wait_for_tag
from werkzeug.serving import make_server

from browser_harness.engines import CAPABILITIES, WHY_NOT
from browser_harness.live_server import poll
from candor_server.dashboard.leakage import leakage_for
from candor_server.storage import db

REPORT_TIMEOUT = 10.0
"""The report leaves SETTLE_MS after load; CSP reports may be queued a few seconds by the engine."""


def stored_leaks(server, marker, expected=1, timeout=REPORT_TIMEOUT):
    """Leak events stored for pages carrying this test's marker, once there are `expected`."""
    def read():
        with server.app.app_context():
            return [event for event in db.events_for_site("demo")
                    if event["type"] == "leak" and marker in event["url"]]
    return poll(read, lambda leaks: len(leaks) >= expected, timeout)


def reported_hosts(leaks):
    return {(entry["host"], entry["kind"]) for event in leaks for entry in event["hosts"]}


def test_leaky_page_reports_exactly_the_uninvited_host(browser, live_server):
    driver = browser()
    marker = unique_marker()
    driver.get(f"{live_server.url}/leaky?run={marker}")
    # One report after load settles; on a slow machine the tracker's fetch may finish later
    # and come in a second report (at pagehide): the hosts across reports are what counts.
    leaks = stored_leaks(live_server, marker)
    hosts = reported_hosts(leaks)
    assert {host for host, _ in hosts} == {"localhost"}
    assert {("localhost", "img"), ("localhost", "script")} <= hosts
    assert {leak["url"] for leak in leaks} == {f"{live_server.url}/leaky?run={marker}"}
    with live_server.app.test_request_context("/dashboard", base_url=live_server.url):
        [domain] = [d for d in leakage_for("demo")["domains"] if d.domain == "localhost"]
    assert domain.reports >= 1 and "img" in domain.kinds


def test_allowed_domains_are_never_reported(browser, live_server, second_host):
    """`localhost` is in the page's data-allowed-domains (in capitals); 127.0.0.2 is not."""
    driver = browser()
    marker = unique_marker()
    port = live_server.url.rsplit(":", 1)[1]
    driver.get(f"{live_server.url}/fixture/allowed_domains.html?run={marker}"
               f"&from=http://localhost:{port},{second_host}")
    [leak] = stored_leaks(live_server, marker)
    assert reported_hosts([leak]) == {("127.0.0.2", "img")}
    assert page_errors(driver) == []


def wait_past_every_report(driver):
    """Let the after-load report's moment pass, then leave the page (its pagehide report)."""
    wait_for_tag(driver)
    settled_ms = SETTLE_MS + QUIET_SECONDS * 1000
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "var nav = performance.getEntriesByType('navigation')[0];"
        "return nav.loadEventEnd > 0 && performance.now() > nav.loadEventEnd + arguments[0];", settled_ms))


@pytest.mark.parametrize("signal", ["dnt", "optout"])
def test_no_leak_report_while_tracking_is_off(engine, browser, live_server, signal):
    if signal == "dnt" and not CAPABILITIES[engine]["dnt"]:
        driver = browser()
        driver.get(f"{live_server.url}/leaky")
        wait_for_tag(driver)
        assert driver.execute_script("return navigator.doNotTrack") is None, WHY_NOT[(engine, "dnt")]
        return
    driver = browser(dnt=signal == "dnt")
    if signal == "optout":
        driver.add_cookie({"name": "candor_optout", "value": "1", "path": "/"})
    driver.get(f"{live_server.url}/leaky?run={unique_marker()}")
    wait_past_every_report(driver)
    assert tag_status(driver) == {"tracking": False, "reasons": [signal]}
    driver.get(live_server.url + "/fixture/blank.html")
    assert live_server.collect_log.wait_for(1, timeout=QUIET_SECONDS) == 0


def stored_violations(server, marker_page, timeout=REPORT_TIMEOUT):
    def read():
        with server.app.app_context():
            return [row for row in db.csp_violations() if row["document"] == marker_page]
    return poll(read, lambda rows: any(row["directive"] == "img-src" for row in rows), timeout)


def test_the_enforced_policy_blocks_the_pixel_and_its_violation_is_stored(browser, live_server):
    driver = browser()
    page = f"{live_server.url}/leaky"
    driver.get(page + "?csp=enforce")
    wait_for_tag(driver)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    pixel = driver.find_element("id", "third-party-pixel")
    assert driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", pixel) == 0
    violations = stored_violations(live_server, page)
    assert {"site": "demo", "document": page, "blocked": "localhost", "directive": "img-src", "disposition": "enforce"} in violations


@pytest.fixture(scope="module")
def second_host(live_server):
    """The same app on 127.0.0.2: a third host name for a page on 127.0.0.1 and `localhost`."""
    server = make_server("127.0.0.2", 0, live_server.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.2:{server.server_port}"
    server.shutdown()
    thread.join(5)
