"""Browser fixtures: the real app on a free port, and reusable sessions of three engines.

Engines come from CANDOR_BROWSERS (default: all three) or pytest-selenium's --driver
(Chrome or Firefox: it knows no WebKitGTK).
An engine left out is a clear skip; an engine selected but not installed is a failure
that says how to install it. pytest-selenium attaches a screenshot, the URL and the page
source of the failing browser to the HTML report (request.node._driver).
"""
import os
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException

from browser_harness.engines import ENGINES, Profile, SessionTimeout, missing_parts, start_session
from browser_harness.live_server import LiveServer
from browser_harness.xvfb import Xvfb

FIXTURE_PAGES = Path(__file__).parent / "pages"
DRIVER_OPTION_ENGINES = {"chrome": "chromium", "firefox": "firefox"}


def selected_engines(config):
    """The engines this run covers, and the words that explain the choice in a skip."""
    driver = config.getoption("driver", None)
    if driver:
        engine = DRIVER_OPTION_ENGINES.get(driver.lower())
        if engine is None:
            raise pytest.UsageError(f"--driver {driver}: use Chrome or Firefox, or CANDOR_BROWSERS=webkit")
        return [engine], f"--driver {driver}"
    names = [name.strip() for name in os.environ.get("CANDOR_BROWSERS", ",".join(ENGINES)).split(",") if name.strip()]
    unknown = sorted(set(names) - set(ENGINES))
    if unknown:
        raise pytest.UsageError(f"CANDOR_BROWSERS names unknown engines {unknown}; choose from {list(ENGINES)}")
    return names, f"CANDOR_BROWSERS={os.environ.get('CANDOR_BROWSERS', '')}"


def pytest_configure(config):
    """Check the engine selection once, before any test runs."""
    config.candor_engines = selected_engines(config)


class SessionPool:
    """One live session per (engine, privacy profile), reused across tests, restarted if it died."""

    def __init__(self):
        self.sessions = {}
        self.xvfb = None

    def display(self):
        if self.xvfb is None:
            self.xvfb = Xvfb()
            self.xvfb.start()
        return self.xvfb.display

    def get(self, engine, profile):
        key = (engine, profile)
        driver = self.sessions.get(key)
        if driver is not None and not alive(driver):
            self.sessions.pop(key)
            driver = None
        if driver is None:
            display = self.display() if engine == "webkit" else None
            try:
                driver = start_session(engine, profile, display)
            except SessionTimeout as error:
                raise pytest.fail.Exception(str(error), pytrace=False) from None
            self.sessions[key] = driver
        return driver

    def close(self):
        for driver in self.sessions.values():
            try:
                driver.quit()
            except WebDriverException:
                pass
        if self.xvfb:
            self.xvfb.stop()


def alive(driver):
    try:
        _ = driver.current_url  # any command fails on a dead session
        return True
    except WebDriverException:
        return False


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("candor-data"), FIXTURE_PAGES).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def session_pool():
    pool = SessionPool()
    yield pool
    pool.close()


@pytest.fixture(params=ENGINES)
def engine(request):
    """Each browser test runs once per engine: skipped only when the selection leaves it out."""
    selected, why = request.config.candor_engines
    if request.param not in selected:
        pytest.skip(f"{why} leaves {request.param} out")
    missing = missing_parts(request.param)
    if missing:
        pytest.fail(f"{request.param} is selected but not installed: missing " + "; ".join(missing), pytrace=False)
    return request.param


@pytest.fixture
def browser(request, engine, session_pool, live_server):
    """open_browser(dnt=..., gpc=..., block_cookies=...) -> a clean session of this test's engine.

    Clean means: no cookies for the test server and an empty request log at the collector.
    """
    def open_browser(**settings):
        driver = session_pool.get(engine, Profile(**settings))
        request.node._driver = driver
        driver.get(live_server.url + "/fixture/blank.html")
        driver.delete_all_cookies()
        live_server.collect_log.clear()
        return driver
    return open_browser
