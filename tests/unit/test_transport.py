"""Transport: sendBeacon first, a keepalive fetch when it cannot, an image pixel last."""
from fakes import FakeWindow, refusal
from transport import send


def test_a_beacon_when_the_browser_takes_it():
    win = FakeWindow()
    send(win, "/collect", "{}")
    assert win.navigator.beacons == [("/collect", "{}")] and win.fetch.calls == [] and win.images == []


def test_a_keepalive_post_when_the_beacon_is_refused():
    win = FakeWindow()
    win.navigator.beacon_accepts = False
    send(win, "/collect", "{}")
    assert win.fetch.calls == [("/collect", {"method": "POST", "body": "{}", "keepalive": True})]
    assert win.images == []


def test_a_keepalive_post_when_there_is_no_beacon_or_it_throws():
    for beacon in (None, lambda url, body: 1 / 0):
        win = FakeWindow()
        win.navigator.sendBeacon = beacon
        send(win, "/collect", "{}")
        assert len(win.fetch.calls) == 1 and win.images == []


def test_a_failed_post_is_caught_so_no_unhandled_rejection_reaches_the_page():
    win = FakeWindow()
    win.navigator.sendBeacon = None
    win.fetch.failure = TypeError("Failed to fetch")
    send(win, "/collect", "{}")
    assert win.fetch.returned.caught and win.warnings == [] and win.images == []


def test_a_refusal_the_fetch_can_read_is_one_warning_with_its_reason():
    win = FakeWindow()
    win.navigator.sendBeacon = None
    win.fetch.answer = refusal(403, "unknown site 'nwes'")
    send(win, "/collect", "{}")
    assert win.warnings == ["candor: refused: unknown site 'nwes'"]


def test_an_accepted_post_warns_of_nothing():
    win = FakeWindow()
    win.navigator.sendBeacon = None
    send(win, "/collect", "{}")
    assert len(win.fetch.calls) == 1 and win.warnings == []


def test_an_image_pixel_without_beacon_and_fetch():
    win = FakeWindow()
    win.navigator.sendBeacon = None
    win.fetch = None
    send(win, "/collect?s=1", '{"a": 1}')
    [image] = win.images
    assert image.src == "/collect?s=1&d=%7B%22a%22%3A%201%7D"
