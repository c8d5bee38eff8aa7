"""Takes docs/dashboard.png and docs/optout.png with headless Chromium: the demo
app on a free port with a temporary database holding six weeks of generated
visits and the real leak report of one visit to /leaky, so the pictures show what a
publisher sees. Run from the repository root:

    .venv/bin/python docs/screenshots.py
"""

import random
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from demo_site import create_app  # noqa: E402 (the repository root goes on the path first)

DOCS = Path(__file__).resolve().parent
PASSWORD = "screenshot"
DAYS = 42
PAGES = ("/", "/article/river-path-reopens", "/article/library-late-fees", "/article/market-square-bakery",
         "/api-demo")
REFERRERS = (
    ("", 30), ("https://www.google.com/", 25), ("https://duckduckgo.com/?q=riverside+bakery", 6),
    ("https://www.bing.com/search?q=library+late+fees", 5), ("https://www.ecosia.org/search?q=river+path", 3),
    ("https://t.co/x1", 6), ("https://l.facebook.com/l.php", 5), ("https://news.ycombinator.com/item", 2),
    ("https://blog.example.net/weekend", 4),
)
BROWSERS = (
    ("Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0", 3),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36", 6),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
     " Version/18.0 Mobile/15E148 Safari/604.1", 4),
)


class Clock:
    """The app's clock, moved back in time while visits are generated."""

    def __init__(self):
        self.seconds = time.time()

    def __call__(self):
        return self.seconds


def weighted(rng, choices):
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


def generate_visits(app, clock, rng):
    """Six weeks of visits through the real collector, more on weekdays and lately."""
    client = app.test_client()
    now = clock.seconds
    for day in range(DAYS, -1, -1):
        clock.seconds = now - day * 86_400
        for _ in range(int(rng.randint(20, 40) * (1.6 - day / DAYS))):
            ref = weighted(rng, REFERRERS)
            events = []
            for page in rng.sample(PAGES, rng.randint(1, 3)):
                events.append({"id": str(uuid.uuid4()), "type": "page", "ts": int(clock.seconds * 1000),
                               "url": "http://127.0.0.1" + page, "ref": ref, "title": "The Riverside Courier"})
                ref = "http://127.0.0.1" + page
            client.post("/collect", json={"v": 1, "site": "demo", "uid": uuid.uuid4().hex, "events": events},
                        headers={"User-Agent": weighted(rng, BROWSERS)})
        for signal in rng.sample(("DNT", "Sec-GPC", "Sec-GPC", "optout"), rng.randint(0, 3)):
            if signal == "optout":
                client.set_cookie("candor_optout", "1")
                client.post("/collect", data=b"{}")
                client.delete_cookie("candor_optout")
            else:
                client.post("/collect", data=b"{}", headers={signal: "1"})
    clock.seconds = now


def chromium():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def full_page_screenshot(driver, path, width):
    driver.set_window_size(width, 800)
    height, chrome = driver.execute_script(
        "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight]")
    driver.set_window_size(width, height + chrome)
    driver.save_screenshot(str(path))
    print(f"wrote {path} ({width}x{height})")


def wait_for_leak_report(driver, seconds=20):
    """The /leaky page's real leak report reaches the dashboard about a second after load."""
    deadline = time.monotonic() + seconds
    while "No uninvited domain has been reported." in driver.page_source:
        if time.monotonic() > deadline:
            raise RuntimeError("no leak report reached the dashboard")
        time.sleep(0.5)
        driver.refresh()


def main():
    with tempfile.TemporaryDirectory() as data_dir:
        clock = Clock()
        app = create_app({"DATA_DIR": str(data_dir), "DASHBOARD_PASSWORD": PASSWORD,
                          "CLOCK": clock, "COLLECT_RATE_LIMIT": "1000000 per minute"})
        generate_visits(app, clock, random.Random(5))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        server.RequestHandlerClass.log_request = lambda *args: None
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        driver = chromium()
        try:
            driver.get(url + "/optout")
            full_page_screenshot(driver, DOCS / "optout.png", 900)
            driver.get(url + "/leaky")
            driver.get(url + "/dashboard/login")
            driver.find_element("name", "password").send_keys(PASSWORD)
            driver.find_element("css selector", "form button").click()
            wait_for_leak_report(driver)
            full_page_screenshot(driver, DOCS / "dashboard.png", 1100)
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
