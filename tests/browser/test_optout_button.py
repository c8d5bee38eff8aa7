"""The consumer-choice page's button in a real browser, in every engine: one
click sets the server's opt-out cookie and from then on the demo's pages send
nothing to the collector; opting back in brings the page views back. Also: the
demo pages work under their strict Content-Security-Policy."""
from selenium.webdriver.support.ui import WebDriverWait
from tag_probe import assert_id_forgotten, assert_nothing_sent, cookie_value, tag_status, wait_for_tag

DEMO_PAGES = ("/", "/article/library-late-fees", "/api-demo")


def click_and_wait_for(driver, button_form, next_form):
    driver.find_element("css selector", f"form[action='{button_form}'] button").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", f"form[action='{next_form}']"))


def test_the_opt_out_button_stops_every_request_and_opting_in_restores_them(browser, live_server):
    driver = browser()
    driver.get(live_server.url + "/article/river-path-reopens")
    assert live_server.collect_log.wait_for(1) == 1
    assert driver.get_cookie("candor_id") is not None

    driver.get(live_server.url + "/optout")
    assert "Candor is counting visits from this browser" in driver.page_source
    click_and_wait_for(driver, "/optout", "/optin")
    assert cookie_value(driver, "candor_optout") == "1"
    assert "You opted out" in driver.page_source
    assert_id_forgotten(driver, live_server)

    live_server.collect_log.clear()
    for path in DEMO_PAGES:
        driver.get(live_server.url + path)
        assert_nothing_sent(driver, live_server)
    assert tag_status(driver) == {"tracking": False, "reasons": ["optout"]}
    assert_id_forgotten(driver, live_server)

    driver.get(live_server.url + "/optout")
    click_and_wait_for(driver, "/optin", "/optout")
    assert driver.get_cookie("candor_optout") is None
    driver.get(live_server.url + "/article/market-square-bakery")
    assert live_server.collect_log.wait_for(1) == 1


def test_every_demo_page_counts_under_its_strict_csp(browser, live_server):
    """The tag and the API demo's queued stub (a static file) run with script-src 'self'."""
    driver = browser()
    for count, path in enumerate(DEMO_PAGES, start=1):
        driver.get(live_server.url + path)
        wait_for_tag(driver)
        assert live_server.collect_log.wait_for(count) == count, path
    assert tag_status(driver) == {"tracking": True, "reasons": []}
    inline_ran = driver.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.inlineRan = true;';"
        " document.head.appendChild(s); return window.inlineRan === true;")
    assert inline_ran is False, "the page's CSP should refuse inline script"


def test_the_demo_privacy_page_and_the_choice_page_agree(browser, live_server):
    """The newspaper's own privacy page (data-candor-choice) and the collector's /optout share
    one origin in the demo: a choice made on either shows on both."""
    driver = browser()
    driver.get(live_server.url + "/your-privacy")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "var e = document.querySelector('[data-candor-choice]'); return e.getAttribute('data-candor-status');") == "on")
    driver.find_element("xpath", "//*[@data-candor-choice]//button[text()='Opt out']").click()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return document.querySelector('[data-candor-choice]').getAttribute('data-candor-status');") == "off")
    driver.get(live_server.url + "/optout")
    assert "You opted out" in driver.page_source
    click_and_wait_for(driver, "/optin", "/optout")
    driver.get(live_server.url + "/your-privacy")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return document.querySelector('[data-candor-choice]').getAttribute('data-candor-status');") == "on")
