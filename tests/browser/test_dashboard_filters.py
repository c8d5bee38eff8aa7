"""The dashboard in a real browser, in every engine: log in, click a row to filter every
panel, click a range, and the view (filters and range) lives in the URL."""
import json
import uuid
from urllib.parse import parse_qs, urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

TOKYO_PAGE = "/dashboard-test/tokyo"
PARIS_PAGE = "/dashboard-test/paris"


def send_visit(app, uid, path, tz, ref):
    """One page view through the real collector, as the tag would send it."""
    event = {"id": str(uuid.uuid4()), "type": "page", "ts": 1, "url": f"https://pub.example{path}",
             "ref": ref, "title": "t", "lang": "en-US", "tz": tz, "sw": 1280, "sh": 800, "attrs": {}}
    body = {"v": 1, "site": "demo", "uid": uid, "events": [event]}
    response = app.test_client().post("/collect", data=json.dumps(body), content_type="text/plain")
    assert response.status_code == 204


def log_in(driver, live_server):
    driver.get(live_server.url + "/dashboard/login")
    driver.find_element(By.NAME, "password").send_keys(live_server.app.config["DASHBOARD_PASSWORD"])
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "top-metrics"))


def panel_values(driver, card):
    return [link.text for link in driver.find_elements(By.CSS_SELECTOR, f"section[data-card={card}] a.filter-link")]


def click_and_wait(driver, element):
    before = driver.current_url
    element.click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url != before and d.find_elements(By.ID, "top-metrics"))


def test_clicking_a_row_filters_every_panel_and_a_range_keeps_the_filter(browser, live_server):
    send_visit(live_server.app, "a" * 32, TOKYO_PAGE, "Asia/Tokyo", "https://www.google.com/search?q=x")
    send_visit(live_server.app, "b" * 32, PARIS_PAGE, "Europe/Paris", "")
    driver = browser()
    log_in(driver, live_server)
    assert {TOKYO_PAGE, PARIS_PAGE} <= set(panel_values(driver, "pages"))

    japan = driver.find_element(By.XPATH, "//section[@data-card='locations']//a[@class='filter-link'][text()='JP']")
    click_and_wait(driver, japan)
    assert parse_qs(urlsplit(driver.current_url).query)["filters"] == ["visit:country==JP"]
    assert driver.find_elements(By.CSS_SELECTOR, "#filters li[data-filter='visit:country']")
    assert panel_values(driver, "pages") == [TOKYO_PAGE]
    assert panel_values(driver, "sources") == ["Google"]

    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".periods a[data-period='7d']"))
    query = parse_qs(urlsplit(driver.current_url).query)
    assert query["period"] == ["7d"] and query["filters"] == ["visit:country==JP"]
    assert driver.find_element(By.CSS_SELECTOR, ".periods a[data-period='7d']").get_attribute("aria-current") == "true"
    assert panel_values(driver, "pages") == [TOKYO_PAGE]

    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#filters li[data-filter='visit:country'] a.remove"))
    assert "filters" not in parse_qs(urlsplit(driver.current_url).query)
    assert {TOKYO_PAGE, PARIS_PAGE} <= set(panel_values(driver, "pages"))
