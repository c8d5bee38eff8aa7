"""Pages that fight the tag, and networks that fail it: the page never notices, the count is right.

Each case asserts the three promises: no uncaught error (the page's own onerror and
unhandledrejection counter), the page's own script after the tag still runs, and the
collector receives exactly the requests it should.
"""
import socket

import pytest
from tag_probe import (
    api_page,
    assert_no_more_requests,
    page_errors,
    page_script_ran,
    tag_status,
    unique_marker,
    wait_for_tag,
)


def assert_page_unharmed(driver):
    wait_for_tag(driver)
    assert page_script_ran(driver)
    assert page_errors(driver) == []


@pytest.mark.parametrize("hostile, method", [
    ("cookie-throws", "POST"),
    ("no-beacon", "POST"),
    ("beacon-throws", "POST"),
    ("frozen", "POST"),
])
def test_hostile_page_is_counted_once_and_unharmed(browser, live_server, hostile, method):
    driver = browser()
    driver.get(api_page(live_server, unique_marker(), hostile=hostile))
    assert live_server.collect_log.wait_for(1) == 1
    assert_page_unharmed(driver)
    assert_no_more_requests(driver, live_server, 1)
    assert live_server.collect_log.requests[0]["method"] == method
    assert live_server.collect_log.events()[0]["type"] == "page"


@pytest.mark.parametrize("hostile", ["no-beacon", "beacon-throws"])
def test_without_a_usable_beacon_a_keepalive_fetch_carries_the_batch(browser, live_server, hostile):
    driver = browser()
    driver.get(api_page(live_server, unique_marker(), hostile=hostile))
    assert live_server.collect_log.wait_for(1) == 1
    [request] = live_server.collect_log.requests
    assert request["content_type"] == "text/plain;charset=UTF-8"
    assert request["headers"]["Sec-Fetch-Mode"] == "cors", "fetch(), not a beacon (no-cors)"


def test_a_page_whose_cookies_throw_still_reports_status(browser, live_server):
    driver = browser()
    driver.get(api_page(live_server, unique_marker(), hostile="cookie-throws"))
    assert_page_unharmed(driver)
    assert tag_status(driver) == {"tracking": True, "reasons": []}


def closed_port():
    """A local port nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("hostile", [None, "no-beacon"])
def test_a_collector_that_is_down_breaks_nothing(browser, live_server, hostile):
    """With no beacon the fetch is refused: its rejection must not surface as an unhandled one."""
    driver = browser()
    collector = f"http://127.0.0.1:{closed_port()}/collect"
    driver.get(api_page(live_server, unique_marker(), {"collector": collector}, hostile=hostile))
    driver.execute_script("candor('event', 'after-load');")
    assert_no_more_requests(driver, live_server, 0)
    assert_page_unharmed(driver)


@pytest.mark.parametrize("hostile", [None, "no-beacon"])
def test_a_collector_answering_500_gets_each_batch_once(browser, live_server, hostile):
    driver = browser()
    live_server.collect_log.fault = "error"
    driver.get(api_page(live_server, unique_marker(), hostile=hostile))
    assert live_server.collect_log.wait_for(1) == 1
    driver.execute_script("candor('event', 'after-500');")
    assert live_server.collect_log.wait_for(2) == 2
    assert_no_more_requests(driver, live_server, 2)
    assert_page_unharmed(driver)


def test_a_slow_collector_never_holds_the_page_or_the_next_event(browser, live_server):
    """The collector stalls every answer 5 s; the next event leaves while the first still waits."""
    driver = browser()
    live_server.collect_log.fault = "slow"
    driver.get(api_page(live_server, unique_marker()))
    assert live_server.collect_log.wait_for(1, timeout=3) == 1
    assert_page_unharmed(driver)
    driver.execute_script("candor('event', 'while-slow');")
    assert live_server.collect_log.wait_for(2, timeout=3) == 2
    assert driver.execute_script("return document.readyState") == "complete"


def test_a_strict_content_security_policy_page_with_the_data_attribute_snippet(browser, live_server):
    driver = browser()
    driver.get(live_server.url + "/fixture/strict.csp.html")
    assert live_server.collect_log.wait_for(1) == 1
    assert_page_unharmed(driver)
    assert driver.execute_script("return window.cspViolations") == []
    assert_no_more_requests(driver, live_server, 1)


def test_the_bundle_loaded_twice_counts_the_page_once(browser, live_server):
    driver = browser()
    driver.get(live_server.url + "/fixture/twice.html")
    assert live_server.collect_log.wait_for(1) == 1
    assert_page_unharmed(driver)
    assert_no_more_requests(driver, live_server, 1)
    driver.execute_script("candor('event', 'once');")
    assert live_server.collect_log.wait_for(2) == 2
    assert_no_more_requests(driver, live_server, 2)
