"""The host page is left as it was: no new globals but `candor`, no prototype changes, its scripts run."""
from tag_probe import page_errors


def test_bundle_adds_only_candor_and_touches_no_prototype(browser, live_server):
    driver = browser()
    driver.get(live_server.url + "/fixture/pristine.html")
    before, after = driver.execute_script("return [window.before, window.after]")
    assert sorted(set(after.pop("window")) - set(before.pop("window")) - {"before"}) == ["candor"]
    assert after == before
    assert live_server.collect_log.wait_for(1) == 1


def test_host_page_loops_see_no_added_properties_and_its_later_scripts_run(browser, live_server):
    driver = browser()
    driver.get(live_server.url + "/fixture/pristine.html")
    assert driver.execute_script("return window.pageScriptRan") is True
    assert driver.execute_script("return window.enumerated") == ["array:0", "object:own", "string:0"]
    assert page_errors(driver) == []


def test_the_page_error_counter_sees_a_page_script_that_throws(browser, live_server):
    """The instrument behind every "no error" assertion: it does count a real page error."""
    driver = browser()
    driver.get(live_server.url + "/fixture/tracked.html")
    driver.execute_script("var script = document.createElement('script');"
                          "script.textContent = 'throw new Error(\"from the page\")';"
                          "document.body.appendChild(script);")
    assert len(page_errors(driver)) == 1 and "from the page" in page_errors(driver)[0]
