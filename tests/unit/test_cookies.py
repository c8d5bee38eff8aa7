"""Reading and writing first-party cookies, including jars the tag did not write itself."""
import pytest
from cookies import cookie_domain, delete_cookie, read_cookie, write_cookie
from fakes import FakeDocument


def settings(cookie_domain="auto"):
    return {"cookieDomain": cookie_domain}


@pytest.mark.parametrize("jar, expected", [
    ("candor_id=abc", "abc"),
    ("x=1; candor_id=abc; y=2", "abc"),
    ("  candor_id = abc ", "abc"),
    ("candor_id=abc; candor_id=def", "abc"),
    ("", None),
    ("candor_id", None),
    ("candor_id=a=b", None),
    ("my_candor_id=abc", None),
    (";;; ;", None),
])
def test_read_cookie_handles_well_and_badly_formed_jars(jar, expected):
    assert read_cookie(FakeDocument(cookies=jar), "candor_id") == expected


def test_read_cookie_when_the_page_may_not_touch_cookies():
    doc = FakeDocument(cookie_error=PermissionError("SecurityError: sandboxed frame"))
    assert read_cookie(doc, "candor_id") is None


def test_write_cookie_sets_lifetime_path_and_same_site(make_window):
    win = make_window(href="http://pub.example/")
    write_cookie(win, settings("host"), "candor_id", "abc", "15552000")
    assert win.document.jar.writes == ["candor_id=abc; Max-Age=15552000; Path=/; SameSite=Lax"]


def test_write_cookie_is_secure_on_https(make_window):
    win = make_window(href="https://pub.example/")
    write_cookie(win, settings(), "candor_id", "abc", "15552000")
    assert win.document.jar.attributes_of_last_write("candor_id")[-1] == "Secure"


def test_auto_finds_the_widest_domain_the_browser_accepts_from_the_top(make_window):
    win = make_window(href="https://www.news.co.example/a")
    win.document.jar.public_suffixes = {"co.example"}
    config = settings()
    assert cookie_domain(win, config) == "news.co.example"
    tried = [write.split("Domain=")[1].split(";")[0] for write in win.document.jar.writes if "Max-Age=9" in write]
    assert tried == ["example", "co.example", "news.co.example"]
    assert read_cookie(win.document, "candor_probe") is None, "the probe is removed"
    write_cookie(win, config, "candor_id", "abc", "15552000")
    assert "Domain=news.co.example" in win.document.jar.attributes_of_last_write("candor_id")


def test_auto_searches_once_per_page(make_window):
    win = make_window(href="https://www.news.example/")
    config = settings()
    cookie_domain(win, config)
    writes = len(win.document.jar.writes)
    assert cookie_domain(win, config) == "news.example" and len(win.document.jar.writes) == writes


@pytest.mark.parametrize("href", ["http://localhost:5000/", "http://127.0.0.1:5000/"])
def test_auto_falls_back_to_a_host_only_cookie_when_no_domain_is_accepted(make_window, href):
    win = make_window(href=href)
    win.document.jar.public_suffixes = {"localhost", "127.0.0.1", "0.0.1", "0.1"}
    config = settings()
    write_cookie(win, config, "candor_id", "abc", "15552000")
    assert not any(part.startswith("Domain=") for part in win.document.jar.attributes_of_last_write("candor_id"))
    assert config["cookieDomain"] == "host"


@pytest.mark.parametrize("href", ["http://127.0.0.1:5000/", "http://10.0.0.7/"])
def test_an_ip_address_is_never_probed_for_a_parent_domain(make_window, href):
    """WebKit accepts `Domain=0.1` on 127.0.0.1; the collector, seeing an IP, deletes host-only."""
    win = make_window(href=href)
    config = settings()
    write_cookie(win, config, "candor_id", "abc", "15552000")
    assert len(win.document.jar.writes) == 1, "no probe"
    assert not any(part.startswith("Domain=") for part in win.document.jar.attributes_of_last_write("candor_id"))
    assert config["cookieDomain"] == "host"


def test_host_keeps_cookies_host_only_without_probing(make_window):
    win = make_window(href="https://www.news.example/")
    write_cookie(win, settings("host"), "candor_id", "abc", "15552000")
    assert win.document.jar.writes == ["candor_id=abc; Max-Age=15552000; Path=/; SameSite=Lax; Secure"]


def test_delete_cookie_expires_it_on_the_domain_and_host_only(make_window):
    win = make_window(cookies="candor_id=abc; other=1", href="https://www.news.example/")
    delete_cookie(win, settings(), "candor_id")
    deletions = [write for write in win.document.jar.writes if write.startswith("candor_id=;")]
    assert len(deletions) == 2 and all("Max-Age=0" in write for write in deletions)
    assert "Domain=news.example" in deletions[0] and "Domain" not in deletions[1]
    assert read_cookie(win.document, "candor_id") is None
    assert read_cookie(win.document, "other") == "1"


def test_write_cookie_where_cookies_throw_is_lost_quietly(make_window):
    win = make_window()
    win.document.cookie_error = PermissionError("SecurityError: sandboxed frame")
    config = settings()
    write_cookie(win, config, "candor_id", "abc", "15552000")
    assert win.document.jar.writes == [] and config["cookieDomain"] == "host"
