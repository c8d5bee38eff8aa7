"""Cookieless mode (CONTRACT.md §2, §3, §4) in every engine: nothing kept in the browser,
`uid: null` on the wire, one daily visitor at the collector."""
import json

from selenium.webdriver.support.ui import WebDriverWait
from tag_probe import assert_no_more_requests, page_errors, stored_page_views, tag_status, unique_marker, wait_for_tag

COOKIELESS_ID = "0123456789abcdef0123456789abcdef"


def browser_storage(driver):
    """Everything the page's origin keeps in the browser that a script can see."""
    return driver.execute_script(
        "return {cookie: document.cookie, local: localStorage.length, session: sessionStorage.length}")


def test_cookieless_pages_keep_nothing_and_send_no_uid(browser, live_server):
    driver = browser()
    marker = unique_marker()
    for view in ("a", "b"):
        driver.get(f"{live_server.url}/fixture/cookieless.html?run={marker}&view={view}")
        wait_for_tag(driver)
        assert live_server.collect_log.wait_for(1 if view == "a" else 2) == (1 if view == "a" else 2)
    bodies = [json.loads(request["body"]) for request in live_server.collect_log.requests]
    assert [body["uid"] for body in bodies] == [None, None]
    assert browser_storage(driver) == {"cookie": "", "local": 0, "session": 0}
    assert driver.get_cookies() == []
    views = stored_page_views(live_server, marker, 2)
    assert len(views) == 2 and len({view["uid"] for view in views}) == 1
    assert views[0]["uid"].startswith("day-")
    assert tag_status(driver) == {"tracking": True, "reasons": [], "cookieless": True}
    assert_no_more_requests(driver, live_server, 2)
    assert page_errors(driver) == []


def test_cookieless_mode_neither_reads_nor_renews_an_existing_id(browser, live_server):
    driver = browser()
    driver.add_cookie({"name": "candor_id", "value": COOKIELESS_ID, "path": "/"})
    driver.get(f"{live_server.url}/fixture/cookieless.html?run={unique_marker()}")
    wait_for_tag(driver)
    assert live_server.collect_log.wait_for(1) == 1
    assert json.loads(live_server.collect_log.requests[0]["body"])["uid"] is None
    [cookie] = driver.get_cookies()
    assert (cookie["name"], cookie["value"]) == ("candor_id", COOKIELESS_ID)
    assert "expiry" not in cookie, "the session cookie the test set was not renewed for 180 days"


def test_the_choice_element_says_nothing_is_linkable(browser, live_server):
    driver = browser()
    driver.get(f"{live_server.url}/fixture/cookieless_choice.html")
    element = "document.querySelector('[data-candor-choice]')"
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(f"return {element}.getAttribute('data-candor-status')"))
    text = " ".join(driver.execute_script(f"return {element}.textContent").split())
    assert "Candor is counting visits" in text
    assert "without cookies: nothing it stores can be linked to this browser" in text
    assert "candor_id" not in text, "no lookup of an id the browser does not keep"
    assert driver.get_cookies() == []
    assert page_errors(driver) == []
