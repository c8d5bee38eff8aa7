"""The booted tag end to end in CPython: what it sends, what it stores, what it leaves alone."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from candor import boot
from fakes import CommandStub, FakeScript, JsObject

SCRIPT = FakeScript(**{"data-site": "demo", "data-collector": "/collect"})


def sent_bodies(win):
    bodies = [json.loads(body) for _, body in win.navigator.beacons]
    bodies += [json.loads(parse_qs(urlsplit(image.src).query)["d"][0]) for image in win.images]
    return bodies


def test_no_signal_sends_one_page_view_in_the_wire_format(make_window):
    win = make_window(script=SCRIPT)
    boot(win)
    assert [url for url, _ in win.navigator.beacons] == ["/collect"]
    [body] = sent_bodies(win)
    uid = win.document.jar.raw.split("candor_id=")[1]
    assert body["v"] == 1 and body["site"] == "demo" and body["uid"] == uid
    [event] = body["events"]
    assert event["type"] == "page"
    assert event["url"] == "https://pub.example/a?x=1"
    assert event["ref"] == "https://www.google.com/search?q=shoes"
    assert event["ts"] == 1764400000000
    assert (event["lang"], event["tz"], event["sw"], event["sh"]) == ("en-US", "Europe/Paris", 1920, 1080)
    assert event["attrs"] == {}


def test_visitor_id_cookie_lives_180_days_and_is_renewed(make_window):
    uid = "0123456789abcdef0123456789abcdef"
    win = make_window(script=SCRIPT, cookies="candor_id=" + uid)
    boot(win)
    assert sent_bodies(win)[0]["uid"] == uid
    assert win.document.jar.writes == [f"candor_id={uid}; Max-Age=15552000; Path=/; SameSite=Lax; Secure"]


def test_a_tampered_visitor_id_is_replaced(make_window):
    win = make_window(script=SCRIPT, cookies="candor_id=alice@example.com")
    boot(win)
    assert sent_bodies(win)[0]["uid"] != "alice@example.com"
    assert "alice" not in win.document.jar.raw


@pytest.mark.parametrize("settings", [
    {"navigator": {"doNotTrack": "1"}},
    {"doNotTrack": "yes"},
    {"navigator": {"msDoNotTrack": "1"}},
    {"navigator": {"globalPrivacyControl": True}},
    {"cookies": "candor_optout=1"},
])
def test_when_tracking_is_off_nothing_is_sent_and_no_id_is_set(make_window, settings):
    win = make_window(script=SCRIPT, **settings)
    boot(win)
    assert win.requests == []
    assert "candor_id" not in win.document.jar.raw
    assert not any(write.startswith("candor_id") for write in win.document.jar.writes)


def test_an_opt_out_is_renewed_on_every_page(make_window):
    win = make_window(script=SCRIPT, cookies="candor_optout=1")
    boot(win)
    assert win.document.jar.writes == ["candor_optout=1; Max-Age=34560000; Path=/; SameSite=Lax; Secure"]


def test_queued_commands_run_in_order_before_the_automatic_page_view(make_window):
    win = make_window(candor=CommandStub(
        ["init", JsObject(site="news", collector="https://c.example/c")],
        ["page", JsObject(section="sport")],
    ))
    boot(win)
    assert [url for url, _ in win.navigator.beacons] == ["https://c.example/c"] * 2
    first, second = sent_bodies(win)
    assert first["site"] == "news"
    assert first["events"][0]["attrs"] == {"section": "sport"}
    assert second["events"][0]["attrs"] == {}


def test_auto_page_view_can_be_turned_off(make_window):
    win = make_window(script=SCRIPT, candor=CommandStub(["init", JsObject(autoPageview=False)]))
    boot(win)
    assert win.requests == []
    win.candor("page", None, None)
    assert len(win.requests) == 1


def test_without_a_site_nothing_is_sent(make_window):
    win = make_window()
    boot(win)
    assert win.requests == []


def test_loading_the_bundle_twice_counts_the_page_once(make_window):
    win = make_window(script=SCRIPT)
    boot(win)
    boot(win)
    assert len(win.requests) == 1


def test_image_pixel_when_send_beacon_is_refused(make_window):
    win = make_window(script=SCRIPT, beacon_accepts=False)
    boot(win)
    [image] = win.images
    assert image.src.startswith("/collect?d=")
    assert sent_bodies(win)[-1]["site"] == "demo"


def test_image_pixel_when_send_beacon_is_missing(make_window):
    win = make_window(script=SCRIPT)
    win.navigator.sendBeacon = None
    boot(win)
    assert len(win.images) == 1 and win.navigator.beacons == []


def test_opt_out_command_sets_the_cookie_and_forgets_the_visitor(make_window):
    win = make_window(script=SCRIPT)
    boot(win)
    win.candor("optOut", None, None)
    assert win.document.jar.raw == "candor_optout=1"
    assert win.document.jar.attributes_of_last_write("candor_optout")[1] == "Max-Age=34560000"
    win.candor("page", None, None)
    assert len(win.requests) == 1


def test_opt_in_removes_the_opt_out_but_not_dnt(make_window):
    win = make_window(script=SCRIPT, cookies="candor_optout=1", navigator={"doNotTrack": "1"})
    boot(win)
    win.candor("optIn", None, None)
    assert "candor_optout" not in win.document.jar.raw
    reports = []
    win.candor("status", reports.append, None)
    assert reports == [{"tracking": False, "reasons": ["dnt"]}]


def test_status_reports_tracking_on(make_window):
    win = make_window(script=SCRIPT)
    boot(win)
    reports = []
    win.candor("status", reports.append, None)
    assert reports == [{"tracking": True, "reasons": []}]


def test_errors_never_escape_into_the_page(make_window):
    """Cookies, beacon, image and callback all throw: the page still sees nothing."""
    win = make_window(script=SCRIPT)
    win.document.cookie_error = PermissionError("SecurityError")
    win.navigator.sendBeacon = lambda url, body: 1 / 0
    win.Image = None
    boot(win)
    win.candor("status", lambda report: 1 / 0, None)
    win.candor("page", None, None)
    win.candor("no-such-command", None, None)


def test_a_broken_window_does_not_raise():
    boot(JsObject())


def test_where_cookies_throw_the_page_is_counted_without_a_kept_id(make_window):
    win = make_window(script=SCRIPT)
    win.document.cookie_error = PermissionError("SecurityError: sandboxed frame")
    boot(win)
    [body] = sent_bodies(win)
    assert len(body["uid"]) == 32


def test_what_the_tag_sends_is_what_the_collector_accepts(make_window):
    """The wire contract from both ends: the tag's own body passes the collector's check."""
    from demo_site.wire import parse_body

    win = make_window(script=SCRIPT, candor=CommandStub(["page", JsObject(section="sport", paid=False)]))
    boot(win)
    for _, body in win.navigator.beacons:
        batch = parse_body(body.encode())
        assert batch.site == "demo" and batch.events[0]["type"] == "page"
