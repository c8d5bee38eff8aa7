"""Every privacy signal, in every engine, counted at the collector (CONTRACT.md §2).

Engines that cannot express a signal assert that they cannot (engines.CAPABILITIES)
instead of being skipped, so a browser that gains the signal fails here and gets tested.
"""
import time

import pytest
from selenium.webdriver.support.ui import WebDriverWait
from tag_probe import (
    assert_id_forgotten,
    assert_nothing_sent,
    cookie_value,
    page_errors,
    stored_page_views,
    tag_status,
    unique_marker,
    wait_for_tag,
)

from browser_harness.engines import CAPABILITIES, WHY_NOT

HALF_YEAR = 15552000


def tracked_page(server, marker):
    return f"{server.url}/fixture/tracked.html?run={marker}"


def test_no_signal_stores_one_page_view_per_page_with_url_and_referrer(browser, live_server):
    driver = browser()
    marker = unique_marker()
    first_url = tracked_page(live_server, marker)
    driver.get(first_url)
    assert live_server.collect_log.wait_for(1) == 1
    driver.execute_script("document.getElementById('next').search = '?next=' + arguments[0];", marker)
    driver.find_element("id", "next").click()
    assert live_server.collect_log.wait_for(2) == 2
    views = sorted(stored_page_views(live_server, marker, 2), key=lambda event: event["ts"])
    assert [view["url"] for view in views] == [first_url, f"{live_server.url}/fixture/tracked.html?next={marker}"]
    assert [view["ref"] for view in views] == ["", first_url]
    uid = cookie_value(driver, "candor_id")
    assert len(uid) == 32 and {view["uid"] for view in views} == {uid}
    assert views[0]["title"] == "Tracked page" and views[0]["sw"] > 0
    assert live_server.collect_log.count() == 2
    assert page_errors(driver) == []


def test_id_cookie_lives_180_days_and_is_first_party(browser, live_server):
    driver = browser()
    driver.get(tracked_page(live_server, unique_marker()))
    live_server.collect_log.wait_for(1)
    cookie = driver.get_cookie("candor_id")
    assert abs(cookie["expiry"] - (time.time() + HALF_YEAR)) < 120
    assert cookie["path"] == "/" and cookie["sameSite"] == "Lax" and cookie["httpOnly"] is False


def assert_engine_lacks(driver, server, engine, signal):
    """The capability table's claim, checked in the page: the signal does not exist there."""
    driver.get(tracked_page(server, unique_marker()))
    wait_for_tag(driver)
    present = driver.execute_script(
        "return {dnt: [navigator.doNotTrack, window.doNotTrack, navigator.msDoNotTrack],"
        " gpc: [navigator.globalPrivacyControl]}")
    assert all(value is None for value in present[signal]), WHY_NOT[(engine, signal)]
    assert tag_status(driver) == {"tracking": True, "reasons": []}


@pytest.mark.parametrize("signal", ["dnt", "gpc"])
def test_browser_privacy_signal_sends_nothing(engine, browser, live_server, signal):
    if not CAPABILITIES[engine][signal]:
        assert_engine_lacks(browser(), live_server, engine, signal)
        return
    driver = browser(**{signal: True})
    driver.get(tracked_page(live_server, unique_marker()))
    assert_nothing_sent(driver, live_server)
    assert tag_status(driver) == {"tracking": False, "reasons": [signal]}
    assert driver.get_cookie("candor_id") is None
    assert page_errors(driver) == []


def test_opt_out_cookie_set_by_the_server_sends_nothing(browser, live_server):
    driver = browser()
    driver.get(live_server.url + "/optout")
    driver.find_element("css selector", "form[action='/optout'] button").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", "form[action='/optin']"))
    assert cookie_value(driver, "candor_optout") == "1"
    driver.get(tracked_page(live_server, unique_marker()))
    assert_nothing_sent(driver, live_server)
    assert tag_status(driver) == {"tracking": False, "reasons": ["optout"]}
    assert_id_forgotten(driver, live_server)


def test_opt_out_command_forgets_the_visitor_and_sends_nothing_after_reload(browser, live_server):
    driver = browser()
    driver.get(tracked_page(live_server, unique_marker()))
    assert live_server.collect_log.wait_for(1) == 1
    assert driver.get_cookie("candor_id") is not None
    driver.execute_script("candor('optOut');")
    assert driver.get_cookie("candor_id") is None
    assert cookie_value(driver, "candor_optout") == "1"
    live_server.collect_log.clear()
    driver.refresh()
    assert_nothing_sent(driver, live_server)
    assert tag_status(driver) == {"tracking": False, "reasons": ["optout"]}
    driver.execute_script("candor('optIn');")
    assert driver.get_cookie("candor_optout") is None


def test_cookies_blocked_by_the_browser_count_the_page_without_an_id(engine, browser, live_server):
    """Documented behaviour: nothing persists, so each page is an unlinked visit; no error.

    WebKitGTK cannot block cookies through WebDriver; there the sandboxed frame, where
    cookies are unavailable by the page's own choice, stands in for it.
    """
    if not CAPABILITIES[engine]["block_cookies"]:
        assert_cookies_throw_harmlessly_in_a_sandboxed_frame(browser(), live_server)
        return
    driver = browser(block_cookies=True)
    marker = unique_marker()
    driver.get(tracked_page(live_server, marker))
    assert live_server.collect_log.wait_for(1) == 1
    [view] = stored_page_views(live_server, marker, 1)
    assert len(view["uid"]) == 32
    assert driver.execute_script("return document.cookie") == ""
    assert page_errors(driver) == []


def assert_cookies_throw_harmlessly_in_a_sandboxed_frame(driver, server):
    """In a sandboxed frame document.cookie throws; the tag swallows it, the frame's scripts go on,
    and the page view still leaves, without a kept id (Chromium and Firefox send `Origin: null`,
    which the collector refuses; WebKit sends the embedding page's origin)."""
    driver.get(f"{server.url}/fixture/sandboxed.html")
    driver.switch_to.frame(driver.find_element("tag name", "iframe"))
    wait_for_tag(driver)
    assert driver.execute_script("try { document.cookie; return 'readable'; } catch (e) { return e.name; }") == "SecurityError"
    assert page_errors(driver) == []
    assert tag_status(driver) == {"tracking": True, "reasons": []}
    assert server.collect_log.wait_for(1) == 1
    driver.switch_to.default_content()


def test_cookies_that_throw_in_a_sandboxed_frame_break_nothing(browser, live_server):
    assert_cookies_throw_harmlessly_in_a_sandboxed_frame(browser(), live_server)
