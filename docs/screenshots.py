"""Takes docs/dashboard.png and docs/optout.png with headless Chromium: the demo
app on a free port with a temporary database holding six weeks of generated
visits (bench/traffic.py), two goals, a funnel and the real leak report of one visit
to /leaky, so the pictures show what a publisher sees. Run from the repository root:

    .venv/bin/python docs/screenshots.py
"""

import sys
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.traffic import generate, wire_body  # noqa: E402
from demo_site import create_app  # noqa: E402 (the repository root goes on the path first)

DOCS = Path(__file__).resolve().parent
PASSWORD = "screenshot"
DAYS = 42
VISITORS = 600
GOALS = (("event", "signup"), ("page", "/pricing"))
FUNNEL = "page:/pricing,page:/signup,event:signup"


class Clock:
    """The app's clock, moved back in time while visits are generated."""

    def __init__(self):
        self.seconds = time.time()

    def __call__(self):
        return self.seconds


def generate_visits(app, clock):
    """Six weeks of generated traffic (bench/traffic.py) through the real collector, each
    beacon at its own moment, and a few visitors who said no."""
    client = app.test_client()
    now = clock.seconds
    now_ms = int(now * 1000)
    for beacon in generate(5, VISITORS, now_ms - DAYS * 86_400_000, now_ms):
        clock.seconds = beacon.received_at / 1000
        client.post("/collect", json=wire_body(beacon), headers={"User-Agent": beacon.user_agent})
    for signal in ("DNT", "Sec-GPC", "Sec-GPC", "optout") * 3:
        if signal == "optout":
            client.set_cookie("candor_optout", "1")
            client.post("/collect", json={"site": "demo"})
            client.delete_cookie("candor_optout")
        else:
            client.post("/collect", json={"site": "demo"}, headers={signal: "1"})
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
        generate_visits(app, clock)
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
            for kind, value in GOALS:
                driver.execute_script(
                    "var f = document.querySelector('form.add-goal');"
                    "f.querySelector('select').value = arguments[0]; f.querySelector('input[name=value]').value = arguments[1];"
                    "f.submit();", kind, value)
                time.sleep(0.5)
            driver.get(url + f"/dashboard?period=30d&funnel={FUNNEL}")
            full_page_screenshot(driver, DOCS / "dashboard.png", 1100)
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
