"""The leak detector: which hosts are invited, and what it reports, when, and how often."""
import json

import pytest
from candor import boot
from fakes import FakeScript
from leaks import MAX_HOSTS, SETTLE_MS, allowed_hosts, is_invited, watch_leaks
from resource_fakes import entry, equip

PAGE = "https://www.pub.example/a?x=1"


@pytest.mark.parametrize("host, page_host, invited", [
    ("www.pub.example", "www.pub.example", True),
    ("pub.example", "www.pub.example", True),
    ("example", "www.pub.example", True),
    ("cdn.pub.example", "www.pub.example", False),
    ("img.www.pub.example", "www.pub.example", False),
    ("evilpub.example", "pub.example", False),
    ("pub.example.evil", "pub.example", False),
    ("127.0.0.1", "127.0.0.1", True),
    ("localhost", "127.0.0.1", False),
    ("27.0.0.1", "127.0.0.1", False),
    ("[::1]", "[::1]", True),
])
def test_the_page_host_and_its_parent_domains_are_invited(host, page_host, invited):
    assert is_invited(host, page_host, "collector.example", []) is invited


@pytest.mark.parametrize("host, invited", [
    ("collector.example", True),
    ("eu.collector.example", False),
    ("evilcollector.example", False),
])
def test_the_collector_host_is_invited_exactly(host, invited):
    assert is_invited(host, "www.pub.example", "collector.example", []) is invited


@pytest.mark.parametrize("host, invited", [
    ("cdn.example.com", True),
    ("img.cdn.example.com", True),
    ("evilcdn.example.com", False),
    ("example.com", False),
    ("cdn.example.com.evil", False),
    ("10.0.0.1", True),
    ("110.0.0.1", False),
    ("xn--bcher-kva.example", True),
    ("cdn.xn--bcher-kva.example", True),
])
def test_allowed_domains_cover_themselves_and_subdomains_on_a_dot_boundary(host, invited):
    allowed = ["cdn.example.com", "10.0.0.1", "xn--bcher-kva.example"]
    assert is_invited(host, "www.pub.example", "collector.example", allowed) is invited


def test_allowed_domains_are_read_in_the_browsers_form(make_window):
    """Case, a port, spaces after commas and an IDN written in Unicode all match what requests show."""
    win = equip(make_window(href=PAGE))
    config = {"allowedDomains": ["CDN.Example.com", " fonts.example:8443", "Bücher.example"]}
    assert allowed_hosts(win, config) == ["cdn.example.com", "fonts.example", "xn--bcher-kva.example"]


def watched(make_window, ready_state="loading", allowed=(), collector="/collect"):
    """A window under watch_leaks, and the leak events it sends, as they were when sent."""
    win = equip(make_window(href=PAGE), ready_state)
    sent = []
    watch_leaks(win, {"allowedDomains": list(allowed), "collector": collector},
                lambda event: sent.append(json.loads(json.dumps(event))))
    return win, sent


def settle(win):
    win.fire("load")
    assert win.timer_delays[-1] == SETTLE_MS
    win.end_tick()


def test_one_report_after_load_settles_with_host_kind_and_count_only(make_window):
    win, sent = watched(make_window, allowed=["cdn.example.com"], collector="https://c.example/collect")
    assert win.observers[0].options == {"type": "resource", "buffered": True}
    win.deliver(
        entry("https://px.tracker.example/p.gif?email=a@b.example", "img"),
        entry("https://px.tracker.example:8443/p.gif?u=2", "img"),
        entry("https://px.tracker.example/t.js", "script"),
        entry("https://www.pub.example/style.css", "link"),
        entry("https://cdn.example.com/lib.js", "script"),
        entry("https://c.example/collect", "beacon"),
        entry("/relative/on/the/page.png", "img"),
    )
    win.queue(entry("https://beacons.spy.example/b", "beacon"))
    assert sent == []
    settle(win)
    [event] = sent
    assert event["hosts"] == [
        {"host": "px.tracker.example", "kind": "img", "n": 2},
        {"host": "px.tracker.example", "kind": "script", "n": 1},
        {"host": "beacons.spy.example", "kind": "beacon", "n": 1},
    ]
    assert event["type"] == "leak" and event["url"] == PAGE and event["ts"] == 1764400000000
    assert len(event["id"]) == 36
    assert "p.gif" not in json.dumps(event) and "email" not in json.dumps(event)


def test_a_tag_that_loads_after_load_reports_on_its_own_timer(make_window):
    win, sent = watched(make_window, ready_state="complete")
    win.deliver(entry("https://px.tracker.example/p.gif", "img"))
    assert win.listeners.get("load") is None
    win.end_tick()
    assert [event["hosts"][0]["host"] for event in sent] == ["px.tracker.example"]


def test_pagehide_reports_only_pairs_that_appeared_since(make_window):
    win, sent = watched(make_window)
    win.deliver(entry("https://px.tracker.example/p.gif", "img"))
    settle(win)
    win.deliver(entry("https://px.tracker.example/p.gif", "img"), entry("https://late.spy.example/x", "fetch"))
    win.queue(entry("https://px.tracker.example/t.js", "script"))
    win.fire("pagehide")
    assert [event["hosts"] for event in sent] == [
        [{"host": "px.tracker.example", "kind": "img", "n": 1}],
        [{"host": "late.spy.example", "kind": "fetch", "n": 1},
         {"host": "px.tracker.example", "kind": "script", "n": 1}],
    ]
    assert sent[0]["id"] != sent[1]["id"]


def test_nothing_is_reported_when_every_host_is_invited(make_window):
    win, sent = watched(make_window, allowed=["cdn.example.com"])
    win.deliver(entry("https://www.pub.example/a.js", "script"), entry("https://img.cdn.example.com/a.png", "img"))
    settle(win)
    win.fire("pagehide")
    assert sent == []


def test_pagehide_without_new_hosts_sends_nothing_more(make_window):
    win, sent = watched(make_window)
    win.deliver(entry("https://px.tracker.example/p.gif", "img"))
    settle(win)
    win.deliver(entry("https://px.tracker.example/p.gif", "img"))
    win.fire("pagehide")
    assert len(sent) == 1


def test_at_most_the_collectors_limit_of_pairs_per_page(make_window):
    win, sent = watched(make_window)
    win.deliver(*[entry(f"https://h{i}.spy.example/", "img") for i in range(MAX_HOSTS + 5)])
    settle(win)
    win.fire("pagehide")
    [event] = sent
    assert len(event["hosts"]) == MAX_HOSTS


def test_a_malformed_allowed_domain_never_throws_into_the_page(make_window):
    win, sent = watched(make_window, allowed=["exa mple.com"])
    win.deliver(entry("https://px.tracker.example/p.gif", "img"))
    settle(win)
    assert sent == []


def test_a_send_that_throws_never_throws_into_the_page(make_window):
    win = equip(make_window(href=PAGE))
    tries = []

    def broken_send(event):
        tries.append(event)
        raise TypeError("a native error")

    watch_leaks(win, {"allowedDomains": [], "collector": "/collect"}, broken_send)
    win.deliver(entry("https://px.tracker.example/p.gif", "img"))
    win.fire("pagehide")
    assert len(tries) == 1


SCRIPT = FakeScript(**{"data-site": "demo", "data-collector": "/collect",
                       "data-allowed-domains": "cdn.example.com"})


def booted(make_window, **settings):
    win = make_window(script=SCRIPT, href=PAGE, **settings)
    equip(win)
    boot(win)
    win.deliver(entry("https://px.tracker.example/p.gif", "img"), entry("https://cdn.example.com/a.js", "script"))
    settle(win)
    return win


def test_the_booted_tag_sends_leak_reports_the_collector_accepts(make_window):
    from candor_server.collector.wire import parse_body

    win = booted(make_window)
    page, leak = [parse_body(body.encode()) for _, body in win.navigator.beacons]
    assert page.events[0]["type"] == "page"
    assert leak.site == "demo" and leak.uid == page.uid
    assert leak.events[0]["hosts"] == [{"host": "px.tracker.example", "kind": "img", "n": 1}]


@pytest.mark.parametrize("settings", [
    {"navigator": {"doNotTrack": "1"}},
    {"navigator": {"globalPrivacyControl": True}},
    {"cookies": "candor_optout=1"},
])
def test_no_leak_report_while_tracking_is_off(make_window, settings):
    win = booted(make_window, **settings)
    win.fire("pagehide")
    assert win.requests == []


def test_opting_out_on_the_page_stops_the_pagehide_report(make_window):
    win = booted(make_window)
    win.candor("optOut", None, None)
    win.deliver(entry("https://late.spy.example/x", "fetch"))
    win.fire("pagehide")
    assert len(win.requests) == 2
