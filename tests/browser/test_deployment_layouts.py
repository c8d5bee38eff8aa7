"""The promises of CONTRACT.md §5 in each deployment layout, in every engine: an opt-out made
anywhere the layout allows stops every request; the collector's choice page and the
publisher's choice element agree where they can see the same cookie; the visitor sees exactly
their own data and deletes it; no page of another site stores events as this one.

Where an engine's cookie rules make a case impossible (another site: the collector's own
cookies never reach it from the publisher's pages), the test asserts what the engine does.
"""
import time
import uuid

import pytest
from layouts import SITE, Layouts
from selenium.webdriver.support.ui import WebDriverWait
from tag_probe import QUIET_SECONDS, tag_status, unique_marker, wait_for_tag

from browser_harness.engines import Profile

LAYOUTS = ("first-party", "same-site", "another-site")
SHARES_COOKIES_WITH_COLLECTOR = {"first-party": True, "same-site": True, "another-site": False}
OTHER_VISITOR = "b" * 32


@pytest.fixture(scope="session")
def layouts(tmp_path_factory):
    served = Layouts(tmp_path_factory.mktemp("layouts"))
    yield served
    served.stop()


@pytest.fixture(params=LAYOUTS)
def layout(request, layouts):
    return layouts.by_name[request.param]


@pytest.fixture
def driver(request, engine, session_pool, layouts):
    """A session of this test's engine with no cookie on any layout host and empty collectors."""
    session = session_pool.get(engine, Profile())
    request.node._driver = session
    layouts.clean(session)
    return session


def choice_status(driver, wanted, timeout=10):
    """Wait until the choice element is rendered with data-candor-status `wanted`."""
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
        "var e = document.querySelector('[data-candor-choice]'); return e && e.getAttribute('data-candor-status');")
        == wanted)
    return driver.find_element("css selector", "[data-candor-choice]").text


def data_section(driver, timeout=10):
    """The element's data section once it has an answer (records, or no id)."""
    def loaded(d):
        text = d.execute_script("var e = document.querySelector('[data-candor-data]'); return e ? e.textContent : '';")
        return text if ("Stored for this browser" in text or "no candor_id" in text or "could not" in text) else False
    return WebDriverWait(driver, timeout).until(loaded)


def click_in_element(driver, label):
    for button in driver.find_elements("css selector", "[data-candor-choice] button"):
        if button.text == label:
            button.click()
            return
    raise AssertionError(f"no {label!r} button in the choice element")


def click_form(driver, action_suffix, next_suffix):
    driver.find_element("css selector", f"form[action$='{action_suffix}'] button").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", f"form[action$='{next_suffix}']"))


def assert_no_request(driver, layout):
    wait_for_tag(driver)
    time.sleep(QUIET_SECONDS)
    assert layout.collector.collect_log.requests == []


def visit_and_count(driver, layout, path, marker, expected):
    driver.get(layout.page(path, marker))
    wait_for_tag(driver)
    assert layout.collector.collect_log.wait_for(expected) == expected


def test_an_opt_out_on_the_publishers_choice_element_stops_every_request(driver, layout):
    marker = unique_marker()
    visit_and_count(driver, layout, "story.html", marker, 1)
    visit_and_count(driver, layout, "privacy.html", marker, 2)
    assert "counting visits" in choice_status(driver, "on")
    click_in_element(driver, "Opt out")
    assert "you opted out" in choice_status(driver, "off")
    assert tag_status(driver) == {"tracking": False, "reasons": ["optout"]}

    layout.collector.collect_log.clear()
    for path in ("story.html", "privacy.html", "story.html"):
        driver.get(layout.page(path, marker))
        assert_no_request(driver, layout)
    assert driver.get_cookie("candor_id") is None


def test_the_collectors_choice_page_and_the_element_agree_where_they_share_cookies(driver, layout):
    marker = unique_marker()
    driver.get(layout.collector_choice_page)
    assert "Candor is counting visits from this browser" in driver.page_source
    if not SHARES_COOKIES_WITH_COLLECTOR[layout.name]:
        assert driver.find_elements("css selector", "#choice-elsewhere"), "the page must say where the choice is made"
    click_form(driver, "/optout", "/optin")

    driver.get(layout.page("privacy.html", marker))
    if SHARES_COOKIES_WITH_COLLECTOR[layout.name]:
        assert "you opted out" in choice_status(driver, "off")
        layout.collector.collect_log.clear()
        driver.get(layout.page("story.html", marker))
        assert_no_request(driver, layout)
        driver.get(layout.page("privacy.html", marker))
        choice_status(driver, "off")
        click_in_element(driver, "Opt back in")
        choice_status(driver, "on")
        driver.get(layout.collector_choice_page)
        assert "Candor is counting visits from this browser" in driver.page_source
    else:
        # Another site: the collector's cookie is the collector's own; the publisher's page
        # never sees it, and the SameSite=Lax cookie is not sent with cross-site beacons.
        choice_status(driver, "on")
        assert layout.collector.collect_log.wait_for(1) >= 1
        [request] = layout.collector.collect_log.requests[:1]
        assert "candor_optout" not in request["headers"].get("Cookie", "")


def test_the_visitor_sees_exactly_their_own_data_and_deletes_it(driver, layout):
    marker = unique_marker()
    other = layout.collector.app.test_client().post(
        "/collect", content_type="text/plain", headers={"Origin": layout.site_origin},
        json={"v": 1, "site": SITE, "uid": OTHER_VISITOR, "events": [
            {"id": str(uuid.uuid4()), "type": "page", "ts": 1764400000000, "url": layout.site_origin + "/other-visitor"}]})
    assert other.status_code == 204
    visit_and_count(driver, layout, "story.html", marker, 2)
    uid = driver.get_cookie("candor_id")["value"]
    visit_and_count(driver, layout, "privacy.html", marker, 3)
    own = WebDriverWait(driver, 5).until(lambda d: len(layout.collector.events(uid)) == 2 and layout.collector.events(uid))
    text = data_section(driver)
    shown_pages = [cell.text for cell in driver.find_elements("css selector", "[data-candor-data] td:nth-child(3)")]
    # The privacy page's own page view may be stored before or after the element asked.
    assert uid in text and f"{len(shown_pages)} record" in text
    assert layout.page("story.html", marker) in shown_pages
    assert set(shown_pages) <= {event["url"] for event in own}
    assert "other-visitor" not in driver.page_source
    assert [cell.text for cell in driver.find_elements("css selector", "[data-candor-data] td:nth-child(2)")][0] == "page"

    driver.get(layout.collector_data_page)
    if SHARES_COOKIES_WITH_COLLECTOR[layout.name]:
        assert uid in driver.page_source and "2 records" in driver.page_source and "other-visitor" not in driver.page_source
    else:
        assert driver.find_elements("css selector", "#no-id"), "the collector's own page cannot see the site's cookie"

    driver.get(layout.page("privacy.html", marker))
    layout.collector.collect_log.wait_for(4)
    WebDriverWait(driver, 5).until(lambda d: len(layout.collector.events(uid)) == 3)
    data_section(driver)
    click_in_element(driver, "Delete my data")
    WebDriverWait(driver, 10).until(lambda d: "no candor_id" in data_section(d))
    assert layout.collector.events(uid) == []
    assert [event["uid"] for event in layout.collector.events()] == [OTHER_VISITOR]
    assert driver.get_cookie("candor_id") is None


FORGE = """
var done = arguments[arguments.length - 1], collect = arguments[0], site = arguments[1], ids = arguments[2];
function body(id) { return JSON.stringify({v: 1, site: site, uid: 'e'.repeat(32),
  events: [{id: id, type: 'page', ts: Date.now(), url: location.href}]}); }
var beacon = false; try { beacon = navigator.sendBeacon(collect, body(ids[0])); } catch (e) {}
fetch(collect, {method: 'POST', body: body(ids[1]), mode: 'no-cors'}).catch(function () {});
var pixel = new Image(); pixel.src = collect + '?d=' + encodeURIComponent(body(ids[2]));
var hidden = new Image(); hidden.referrerPolicy = 'no-referrer';
hidden.src = collect + '?d=' + encodeURIComponent(body(ids[3]));
done(beacon);
"""


def test_no_page_of_another_site_stores_events_as_this_one(driver, layout, layouts):
    ids = [str(uuid.uuid4()) for _ in range(4)]
    driver.get(f"http://evil.localhost:{layouts.port}/{layout.name}/forge.html")
    driver.execute_async_script(FORGE, layout.collector_base + "/collect", SITE, ids)
    arrived = layout.collector.collect_log.wait_for(4)
    assert arrived == 4, "beacon, fetch and both pixels reach the collector, which refuses them"
    time.sleep(QUIET_SECONDS)
    assert layout.collector.events() == []
    origins = {request["headers"].get("Origin") or request["headers"].get("Referer")
               for request in layout.collector.collect_log.requests}
    assert origins <= {f"http://evil.localhost:{layouts.port}", f"http://evil.localhost:{layouts.port}/", None}


READ_REFUSAL = """
var done = arguments[arguments.length - 1];
fetch(arguments[0], {method: 'POST', body: JSON.stringify({v: 2, site: arguments[1], uid: 'x', events: []})})
  .then(function (answer) { return answer.json().then(function (body) { done([answer.status, body.error]); }); })
  .catch(function (error) { done(['unreadable', String(error)]); });
"""


def test_a_refusal_is_readable_by_the_sites_own_pages_only(driver, layout, layouts):
    """What lets the tag name a refusal in the console (its fetch fallback), and nobody else read it."""
    collect = layout.collector_base + "/collect"
    driver.get(layout.page("story.html", unique_marker()))
    status, reason = driver.execute_async_script(READ_REFUSAL, collect, SITE)
    assert (status, reason) == (400, "v: expected 1, the only wire version")
    driver.get(f"http://evil.localhost:{layouts.port}/{layout.name}/forge.html")
    status, _ = driver.execute_async_script(READ_REFUSAL, collect, SITE)
    assert status == "unreadable"


def test_a_missing_data_site_is_one_console_warning_and_nothing_is_sent(driver, layout):
    driver.get(layout.page("misconfigured.html", unique_marker()))
    wait_for_tag(driver)
    assert driver.execute_script("return window.warnings") == ["candor: data-site missing or malformed"]
    time.sleep(QUIET_SECONDS)
    assert layout.collector.collect_log.requests == []
