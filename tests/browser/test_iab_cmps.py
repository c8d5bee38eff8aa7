"""IAB consent platforms (CONTRACT.md §2) in every engine, run from the IAB Tech Lab's own npm
packages (tests/browser/cmp/), counted at the collector: TCF v2.2 on the page and through a
parent frame's __tcfapiLocator, and a GPP US opt-out."""
import time
from urllib.parse import urlencode

import pytest
from cmp_bundles import build_cmp_bundles
from tag_probe import assert_no_more_requests, assert_nothing_sent, cookie_value, page_errors, tag_status, unique_marker, wait_for_tag

CMP_DEADLINE_SECONDS = 2.0
"""tag_src/consent_platforms.py WAIT_MS: how long events wait for a CMP that does not answer."""


@pytest.fixture(scope="module", autouse=True)
def consent_platform_bundles():
    build_cmp_bundles()


def open_page(driver, server, page, **choice):
    """Open a fixture page whose CMP makes `choice` (its query parameters) as it loads."""
    driver.get(f"{server.url}/fixture/{page}?" + urlencode(dict(run=unique_marker(), **choice)))
    wait_for_tag(driver)


def test_tcf_consent_given_counts_the_page_view(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "tcf.html", cmp="grant")
    assert live_server.collect_log.wait_for(1) == 1
    assert [event["type"] for event in live_server.collect_log.events()] == ["page"]
    assert tag_status(driver) == {"tracking": True, "reasons": []}
    assert len(cookie_value(driver, "candor_id")) == 32
    assert_no_more_requests(driver, live_server, 1)
    assert page_errors(driver) == []


def test_tcf_publisher_consent_counts_as_consent(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "tcf.html", cmp="grant-as-publisher")
    assert live_server.collect_log.wait_for(1) == 1
    assert tag_status(driver) == {"tracking": True, "reasons": []}


def test_tcf_consent_refused_sends_nothing(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "tcf.html", cmp="refuse")
    driver.execute_script("candor('event', 'after-refusal');")
    assert_nothing_sent(driver, live_server)
    assert tag_status(driver) == {"tracking": False, "reasons": ["tcf"]}
    assert driver.get_cookie("candor_id") is None
    assert page_errors(driver) == []


def test_tcf_gdpr_not_applying_tracks(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "tcf.html", cmp="gdpr-off")
    assert live_server.collect_log.wait_for(1) == 1
    assert tag_status(driver) == {"tracking": True, "reasons": []}
    assert_no_more_requests(driver, live_server, 1)


def test_tcf_consent_changed_on_the_page_takes_effect_at_once(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "tcf.html", cmp="grant")
    assert live_server.collect_log.wait_for(1) == 1
    driver.execute_script("testCmp.choose([1]); candor('event', 'after-withdrawal');")
    assert_no_more_requests(driver, live_server, 1)
    assert tag_status(driver) == {"tracking": False, "reasons": ["tcf"]}
    driver.execute_script("testCmp.choose([1, 8]); candor('event', 'after-consent');")
    assert live_server.collect_log.wait_for(2) == 2
    assert live_server.collect_log.events()[-1]["name"] == "after-consent"
    assert_no_more_requests(driver, live_server, 2)


def test_tcf_events_wait_while_the_visitor_chooses_and_leave_on_consent(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "tcf.html", cmp="ui")
    driver.execute_script("candor('event', 'while-choosing'); testCmp.choose([1, 8]);")
    assert live_server.collect_log.wait_for(1) == 1
    assert sorted(event["type"] for event in live_server.collect_log.events()) == ["event", "page"]
    assert_no_more_requests(driver, live_server, 1)


def test_tcf_events_waiting_are_dropped_on_refusal(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "tcf.html", cmp="ui")
    driver.execute_script("candor('event', 'while-choosing'); testCmp.choose([]);")
    assert_nothing_sent(driver, live_server)
    assert tag_status(driver) == {"tracking": False, "reasons": ["tcf"]}


def test_a_tcf_cmp_that_never_answers_counts_as_no_consent(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "tcf.html", cmp="silent")
    assert tag_status(driver) == {"tracking": False, "reasons": ["tcf"]}
    time.sleep(CMP_DEADLINE_SECONDS)
    driver.execute_script("candor('event', 'after-deadline');")
    assert_nothing_sent(driver, live_server)
    assert tag_status(driver) == {"tracking": False, "reasons": ["tcf"]}
    assert driver.get_cookie("candor_id") is None


@pytest.mark.parametrize("choice, sent", [("grant", 1), ("refuse", 0)])
def test_a_tcf_cmp_in_the_parent_frame_is_reached_through_its_locator(browser, live_server, choice, sent):
    """The tag runs in a frame from another origin; the CMP only in the parent page."""
    driver = browser()
    driver.get(f"{live_server.url}/fixture/tcf_parent.html?" + urlencode({"run": unique_marker(), "cmp": choice}))
    driver.switch_to.frame(driver.find_element("id", "tagged"))
    try:
        wait_for_tag(driver)
        assert driver.execute_script("return typeof window.__tcfapi") == "undefined"
        assert live_server.collect_log.wait_for(sent, timeout=CMP_DEADLINE_SECONDS + 3) == sent
        assert_no_more_requests(driver, live_server, sent)
        reasons = [] if sent else ["tcf"]
        assert tag_status(driver) == {"tracking": bool(sent), "reasons": reasons}
        assert page_errors(driver) == []
    finally:
        driver.switch_to.default_content()


@pytest.mark.parametrize("choice", ["sale-opt-out", "targeted-advertising-opt-out", "gpc-flag"])
def test_a_gpp_us_opt_out_sends_nothing(browser, live_server, choice):
    driver = browser()
    open_page(driver, live_server, "gpp.html", gpp=choice)
    driver.execute_script("candor('event', 'after-opt-out');")
    assert_nothing_sent(driver, live_server)
    assert tag_status(driver) == {"tracking": False, "reasons": ["gpp"]}
    assert driver.get_cookie("candor_id") is None
    assert page_errors(driver) == []


def test_gpp_without_an_opt_out_tracks(browser, live_server):
    driver = browser()
    open_page(driver, live_server, "gpp.html", gpp="no-opt-out")
    assert live_server.collect_log.wait_for(1) == 1
    assert tag_status(driver) == {"tracking": True, "reasons": []}
    assert_no_more_requests(driver, live_server, 1)
