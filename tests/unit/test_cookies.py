"""Reading and writing first-party cookies, including jars the tag did not write itself."""
import pytest
from cookies import delete_cookie, read_cookie, write_cookie
from fakes import FakeDocument


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
    write_cookie(win, "candor_id", "abc", "15552000")
    assert win.document.jar.writes == ["candor_id=abc; Max-Age=15552000; Path=/; SameSite=Lax"]


def test_write_cookie_is_secure_on_https(make_window):
    win = make_window(href="https://pub.example/")
    write_cookie(win, "candor_id", "abc", "15552000")
    assert win.document.jar.attributes_of_last_write("candor_id")[-1] == "Secure"


def test_delete_cookie_expires_it_now(make_window):
    win = make_window(cookies="candor_id=abc; other=1")
    delete_cookie(win, "candor_id")
    assert "Max-Age=0" in win.document.jar.attributes_of_last_write("candor_id")
    assert read_cookie(win.document, "candor_id") is None
    assert read_cookie(win.document, "other") == "1"


def test_write_cookie_where_cookies_throw_is_lost_quietly(make_window):
    win = make_window()
    win.document.cookie_error = PermissionError("SecurityError: sandboxed frame")
    write_cookie(win, "candor_id", "abc", "15552000")
    assert win.document.jar.writes == []
