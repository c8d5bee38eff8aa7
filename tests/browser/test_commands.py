"""Every command of CONTRACT.md §1 and the site-side rules of §2, counted at the collector."""
from tag_probe import (
    api_page,
    assert_no_more_requests,
    assert_nothing_sent,
    cookie_value,
    page_errors,
    stored_page_views,
    tag_status,
    unique_marker,
    wait_for_tag,
)


def open_tracked_api_page(driver, server, options=None):
    marker = unique_marker()
    driver.get(api_page(server, marker, options))
    assert server.collect_log.wait_for(1) == 1
    return marker


def test_page_and_event_of_one_tick_arrive_in_one_request(browser, live_server):
    driver = browser()
    marker = open_tracked_api_page(driver, live_server)
    driver.execute_script("candor('page', {section: 'sport', n: 2}); candor('event', 'signup', {plan: 'pro'});")
    assert live_server.collect_log.wait_for(2) == 2
    page, event = live_server.collect_log.events()[1:]
    assert (page["type"], page["attrs"]) == ("page", {"section": "sport", "n": 2})
    assert (event["type"], event["name"], event["props"]) == ("event", "signup", {"plan": "pro"})
    views = stored_page_views(live_server, marker, 3)
    assert sorted(view["type"] for view in views) == ["event", "page", "page"]
    assert_no_more_requests(driver, live_server, 2)
    assert page_errors(driver) == []


def test_auto_page_view_off_sends_only_explicit_pages(browser, live_server):
    driver = browser()
    driver.get(api_page(live_server, unique_marker(), {"autoPageview": False}))
    assert_nothing_sent(driver, live_server)
    driver.execute_script("candor('page');")
    assert live_server.collect_log.wait_for(1) == 1


def run_on_consent_page(driver, server, script):
    """On a site with requireConsent, consent not given yet, run `script`: nothing may leave."""
    driver.get(api_page(server, unique_marker(), {"requireConsent": True}))
    wait_for_tag(driver)
    driver.execute_script(script)
    assert_nothing_sent(driver, server)
    assert tag_status(driver) == {"tracking": False, "reasons": ["consent"]}


def test_require_consent_holds_events_until_granted(browser, live_server):
    driver = browser()
    run_on_consent_page(driver, live_server, "candor('event', 'early');")
    assert driver.get_cookie("candor_id") is None
    driver.execute_script("candor('consent', 'granted');")
    assert live_server.collect_log.wait_for(1) == 1
    assert [event["type"] for event in live_server.collect_log.events()] == ["page", "event"]
    assert len(cookie_value(driver, "candor_id")) == 32
    assert_no_more_requests(driver, live_server, 1)


def test_consent_denied_drops_what_waited(browser, live_server):
    run_on_consent_page(browser(), live_server,
                        "candor('event', 'early'); candor('consent', 'denied'); candor('event', 'late');")


def test_consent_withdrawn_mid_visit_stops_at_once(browser, live_server):
    driver = browser()
    open_tracked_api_page(driver, live_server)
    driver.execute_script("candor('event', 'queued'); candor('consent', 'denied'); candor('page');")
    assert_no_more_requests(driver, live_server, 1)


def test_child_directed_site_sends_nothing(browser, live_server):
    driver = browser()
    driver.get(api_page(live_server, unique_marker(), {"childDirected": True}))
    assert_nothing_sent(driver, live_server)
    driver.execute_script("candor('consent', 'granted'); candor('event', 'play');")
    assert_no_more_requests(driver, live_server, 0)
    assert tag_status(driver) == {"tracking": False, "reasons": ["child"]}
    assert driver.get_cookie("candor_id") is None


def test_opt_out_drops_what_is_queued_and_opt_in_tracks_again(browser, live_server):
    driver = browser()
    open_tracked_api_page(driver, live_server)
    driver.execute_script("candor('event', 'queued'); candor('optOut');")
    assert_no_more_requests(driver, live_server, 1)
    assert driver.get_cookie("candor_id") is None and cookie_value(driver, "candor_optout") == "1"
    driver.execute_script("candor('optIn'); candor('event', 'back');")
    assert live_server.collect_log.wait_for(2) == 2
    assert live_server.collect_log.events()[-1]["name"] == "back"
    assert driver.get_cookie("candor_optout") is None


def test_unknown_commands_and_bad_arguments_warn_once_and_never_throw(browser, live_server):
    driver = browser()
    open_tracked_api_page(driver, live_server)
    warnings = driver.execute_script(
        "var warned = []; console.warn = function (text) { warned.push(text); };"
        "candor('nope'); candor('event'); candor('consent', 'maybe'); candor('status', 'no function');"
        "return warned;")
    assert warnings == ["candor: ignored nope", "candor: ignored event", "candor: ignored consent",
                        "candor: ignored status"]
    assert_no_more_requests(driver, live_server, 1)
    assert page_errors(driver) == []


def test_single_page_app_views_once_per_distinct_url(browser, live_server):
    driver = browser()
    marker = open_tracked_api_page(driver, live_server)
    first = driver.current_url
    driver.execute_script("history.pushState({}, '', '?run=' + arguments[0] + '&view=2');", marker)
    assert live_server.collect_log.wait_for(2) == 2
    driver.execute_script("history.replaceState({}, '', location.href); history.pushState({}, '', location.href);")
    assert_no_more_requests(driver, live_server, 2)
    driver.execute_script("history.go(-2);")  # past the same-URL entry just pushed
    assert live_server.collect_log.wait_for(3) == 3
    views = live_server.collect_log.events()
    assert [view["url"] for view in views] == [first, views[1]["url"], first]
    assert "view=2" in views[1]["url"] and views[1]["ref"] == first and views[2]["ref"] == views[1]["url"]
    assert page_errors(driver) == []


def test_history_wrapping_keeps_the_page_behaviour(browser, live_server):
    """Same result and `this`, the page's own re-wrapping still runs, its errors reach it unchanged."""
    driver = browser()
    open_tracked_api_page(driver, live_server)
    result = driver.execute_script(
        "var ours = history.pushState, seen = [];"
        "history.pushState = function () { seen.push(this === history); return ours.apply(this, arguments); };"
        "var returned = history.pushState({}, '', '?rewrapped');"
        "var thrown; try { history.pushState({}, '', 'https://elsewhere.example/'); } catch (e) { thrown = e.name; }"
        "return [returned === undefined, seen, thrown];")
    assert result == [True, [True, True], "SecurityError"]
    assert live_server.collect_log.wait_for(2) == 2
    assert_no_more_requests(driver, live_server, 2)
    assert page_errors(driver) == []


def test_spa_off_ignores_history_changes(browser, live_server):
    driver = browser()
    open_tracked_api_page(driver, live_server, {"spa": False})
    driver.execute_script("history.pushState({}, '', '?elsewhere');")
    assert_no_more_requests(driver, live_server, 1)


def test_data_attributes_are_the_same_settings_as_init(browser, live_server):
    """data-require-consent and data-spa="false" on the script element, no inline script at all."""
    driver = browser()
    driver.get(live_server.url + "/fixture/data_settings.html")
    assert_nothing_sent(driver, live_server)
    driver.execute_script("candor('consent', 'granted');")
    assert live_server.collect_log.wait_for(1) == 1
    driver.execute_script("history.pushState({}, '', '?elsewhere');")
    assert_no_more_requests(driver, live_server, 1)


def test_status_answers_through_the_callback(browser, live_server):
    driver = browser()
    open_tracked_api_page(driver, live_server)
    assert tag_status(driver) == {"tracking": True, "reasons": []}
    driver.execute_script("candor('status', function () { throw new Error('page callback'); });")
    assert page_errors(driver) == []


def test_personal_data_is_scrubbed_before_it_leaves_the_browser(browser, live_server):
    """What the page hands the tag (URL, title, attrs, props) reaches the wire without PII: the
    bodies are read as they arrive, before the collector's own second scrub."""
    driver = browser()
    url = api_page(live_server, unique_marker(), {"autoPageview": False, "scrubParams": ["session"]})
    query, fragment = url.split("#")
    driver.get(f"{query}&email=alice%40mail.example&session=s3cr3t&page=2#{fragment}")
    wait_for_tag(driver)
    driver.execute_script(
        "document.title = 'Call 555-123-4567 or write bob@mail.example';"
        "candor('page', {author: 'carol@mail.example'});"
        "candor('event', 'checkout', {card: '4111 1111 1111 1111', ssn: '123-45-6789', plan: 'pro'});")
    assert live_server.collect_log.wait_for(1) == 1
    wire = " ".join(request["body"] for request in live_server.collect_log.requests)
    for personal in ("alice", "s3cr3t", "555-123-4567", "bob@", "carol@", "4111", "123-45-6789"):
        assert personal not in wire
    page, event = live_server.collect_log.events()
    assert "email=&session=&page=2" in page["url"]
    assert (page["title"], page["attrs"]) == ("Call [phone] or write [email]", {"author": "[email]"})
    assert event["props"] == {"card": "[card]", "ssn": "[ssn]", "plan": "pro"}
    assert page_errors(driver) == []
