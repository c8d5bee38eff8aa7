"""Fake Resource Timing for the leak detector: the browser's URL parser and a PerformanceObserver
the test feeds (timers and window events come with fakes.FakeWindow).

Kept apart from fakes.py: only the leak tests need them, and they are added to a window
made by the usual `make_window` fixture.
"""
from urllib.parse import urljoin, urlsplit

from fakes import JsObject


class FakeURL(JsObject):
    """`new URL(url, base).hostname` as browsers give it: lowercase, punycode, no port,
    IPv6 in brackets; a host with a space is a TypeError, as in browsers."""

    def __init__(self, url, base):
        super().__init__()
        host = urlsplit(urljoin(base, url)).hostname or ""
        if " " in host:
            raise TypeError(f"Failed to construct 'URL': Invalid URL {url!r}")
        if ":" in host:
            host = f"[{host}]"
        self.hostname = host.encode("idna").decode("ascii") if host else ""


def entry(url, kind):
    """A PerformanceResourceTiming entry: its URL (`name`) and who started the request."""
    return JsObject(name=url, initiatorType=kind)


def equip(win, ready_state="loading"):
    """Give a fake window what the leak detector uses; returns it for chaining."""
    observers = []

    class PerformanceObserver(JsObject):
        def __init__(self, callback):
            super().__init__(callback=callback, pending=[], options=None)
            observers.append(self)

        def observe(self, options):
            self.options = options

        def takeRecords(self):
            records, self.pending = self.pending, []
            return records

    def deliver(*entries):
        """The browser hands the observer new entries (asynchronously, in a real page)."""
        for observer in observers:
            observer.callback(JsObject(getEntries=lambda: list(entries)))

    def queue(*entries):
        """Entries the browser recorded but has not delivered yet: only takeRecords() gets them."""
        for observer in observers:
            observer.pending.extend(entries)

    win.URL = FakeURL
    win.location.hostname = FakeURL(win.location.href, None).hostname
    win.PerformanceObserver = PerformanceObserver
    win.document.readyState = ready_state
    win.observers = observers
    win.deliver, win.queue = deliver, queue
    return win
