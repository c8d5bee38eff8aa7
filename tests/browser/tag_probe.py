"""What a test reads from a page and from the collector, in one vocabulary for every engine."""
import json
import secrets
import string
import time
from urllib.parse import quote

from selenium.webdriver.support.ui import WebDriverWait

from browser_harness.live_server import poll
from candor_server.storage import db

QUIET_SECONDS = 0.5
"""How long to keep listening after the tag ran before concluding it sent nothing.

A page view sent by the same page arrives well within this in every engine (the
positive cases prove it on the same pages)."""


def unique_marker():
    """A run id for URLs, in letters only: a random run of 9 or more digits would be scrubbed
    as a phone number (tag_src/scrub.py) and the test would lose track of its own page."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(12))


def wait_for_tag(driver, timeout=10):
    """Until the bundle has booted and replaced the command stub."""
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return !!(window.candor && window.candor.loaded)"))


def tag_status(driver):
    """The tag's own answer to candor('status'): {'tracking': bool, 'reasons': [...]}."""
    return driver.execute_async_script("var done = arguments[arguments.length - 1]; candor('status', done);")


def page_errors(driver):
    return driver.execute_script("return window.pageErrors")


def assert_nothing_sent(driver, server):
    """Zero requests reached /collect, counted at the server after the tag had run."""
    wait_for_tag(driver)
    time.sleep(QUIET_SECONDS)
    assert server.collect_log.requests == []


def assert_id_forgotten(driver, server):
    """The browser neither shows the deleted `candor_id` to the page nor sends it to the server.

    Asked of the page and the server, not of WebDriver's cookie list: Firefox may keep listing
    a cookie deleted by the server, expired and emptied, that it never sends again (Mozilla bug
    576347: expired cookies are purged later)."""
    assert "candor_id=" not in driver.execute_script("return document.cookie")
    driver.get(server.url + "/my-data")
    assert driver.find_elements("id", "no-id"), "the server still received a candor_id cookie"


def stored_page_views(server, marker, expected, timeout=5.0):
    """Page views stored for the demo site whose URL carries this test's marker, once there
    are `expected` of them (a request is counted as it arrives, stored a moment later)."""
    def read():
        with server.app.app_context():
            return [event for event in db.events_for_site("demo") if marker in event["url"]]
    return poll(read, lambda views: len(views) >= expected, timeout)


def cookie_value(driver, name):
    cookie = driver.get_cookie(name)
    return cookie and cookie["value"]


def api_page(server, marker, options=None, hostile=None):
    """The stub-and-init snippet page; `options` are merged into init, `hostile` names set-ups in hostile.js."""
    query = f"run={marker}" + (f"&hostile={hostile}" if hostile else "")
    return f"{server.url}/fixture/api.html?{query}#{quote(json.dumps(options or {}))}"


def page_script_ran(driver):
    return driver.execute_script("return window.pageScriptRan === true")


def assert_no_more_requests(driver, server, count):
    """Exactly `count` requests reached the collector, and none followed while we listened."""
    time.sleep(QUIET_SECONDS)
    assert server.collect_log.count() == count
