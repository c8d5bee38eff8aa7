"""Fake browser globals for running the tag's modules in CPython.

They copy the JS behaviour the tag depends on: a missing property reads as undefined
(None), `document.cookie` is a jar that parses what is written to it, and a beacon or
an image request is recorded instead of sent.
"""
import json
import os
from urllib.parse import quote, urlsplit

from scrub import re_replace_all


class JsRegExp:
    """`win.RegExp(source, 'g')`: the tag's scrub patterns, run here by Python's re."""

    def __init__(self, source, flags):
        self.source = source


class JsString(str):
    """A JS string: the tag cuts text with substring and scrubs it with replace(RegExp, fn)."""

    def substring(self, start, end):
        return JsString(self[start:end])

    def replace(self, pattern, replacement, *count):
        if isinstance(pattern, JsRegExp):
            return JsString(re_replace_all(str(self), pattern.source, replacement))
        return JsString(str.replace(self, pattern, replacement, *count))


def js_value(value):
    return JsString(value) if isinstance(value, str) else value


class JsObject:
    """A plain JS object: reading a property that was never set gives None (undefined).

    Its strings are JS strings, as they would be in the page.
    """

    def __init__(self, **props):
        self.__dict__.update({key: js_value(value) for key, value in props.items()})

    def __getattr__(self, name):
        return None

    def __getitem__(self, key):
        return getattr(self, key)

    def __setitem__(self, key, value):
        setattr(self, key, value)


class CookieJar:
    """document.cookie: reads give `a=1; b=2`, writes parse one cookie with its attributes.

    Like a browser, it refuses a cookie whose Domain is a public suffix: here any name without
    a dot, or one listed in `public_suffixes`.
    """

    def __init__(self, initial="", public_suffixes=()):
        self.raw = initial
        self.writes = []
        self.public_suffixes = set(public_suffixes)

    def read(self):
        return self.raw

    def write(self, text):
        self.writes.append(text)
        name_value, *attributes = [part.strip() for part in text.split(";")]
        name = name_value.split("=", 1)[0]
        domains = [part[len("Domain="):] for part in attributes if part.startswith("Domain=")]
        if domains and ("." not in domains[0] or domains[0] in self.public_suffixes):
            return
        kept = [pair for pair in self.raw.split("; ") if pair and pair.split("=", 1)[0] != name]
        if "Max-Age=0" not in attributes:
            kept.append(name_value)
        self.raw = "; ".join(kept)

    def attributes_of_last_write(self, name):
        for text in reversed(self.writes):
            if text.startswith(name + "="):
                return [part.strip() for part in text.split(";")]
        return None


class EventTarget(JsObject):
    """addEventListener that keeps the listeners, so a test can fire `pagehide` or `popstate`."""

    def __init__(self, **props):
        super().__init__(**props)
        self.listeners = {}

    def addEventListener(self, kind, listener):
        self.listeners.setdefault(kind, []).append(listener)

    def fire(self, kind):
        for listener in self.listeners.get(kind, []):
            listener()


class FakeDocument(EventTarget):
    def __init__(self, cookies="", script=None, referrer="", title="A page", cookie_error=None):
        super().__init__(referrer=referrer, title=title, currentScript=script)
        self.__dict__["jar"] = CookieJar(cookies)
        self.__dict__["cookie_error"] = cookie_error

    def querySelector(self, selector):
        return None

    @property
    def cookie(self):
        if self.cookie_error:
            raise self.cookie_error
        return self.jar.read()

    @cookie.setter
    def cookie(self, text):
        if self.cookie_error:
            raise self.cookie_error
        self.jar.write(text)


class FakeScript(JsObject):
    def __init__(self, **attributes):
        super().__init__(attributes=attributes)

    def getAttribute(self, name):
        return js_value(self.attributes.get(name))


class FakeNavigator(JsObject):
    """Beacons are recorded in `beacons`; `beacon_accepts=False` mimics a refused beacon."""

    def __init__(self, beacon_accepts=True, **props):
        super().__init__(language="en-US", **props)
        self.beacons = []
        self.beacon_accepts = beacon_accepts

    def sendBeacon(self, url, body):
        self.beacons.append((url, body))
        return self.beacon_accepts


class FakeCrypto(JsObject):
    @staticmethod
    def getRandomValues(buffer):
        buffer[:] = os.urandom(len(buffer))
        return buffer


class FakePromise:
    """A promise settled at once: `then` runs its handler on the value, `catch` on the error."""

    def __init__(self, value=None, error=None):
        self.value = value
        self.error = error
        self.caught = False

    def then(self, handler):
        if self.error is not None:
            return self
        try:
            result = handler(self.value)
        except Exception as error:  # a handler that throws rejects the next promise, as in JS
            return FakePromise(error=error)
        return result if isinstance(result, FakePromise) else FakePromise(result)

    def catch(self, handler):
        if self.error is not None:
            self.caught = True
            handler(self.error)
        return FakePromise()


class FakeFetch:
    """window.fetch: records each call and answers with `answer` (a 204 unless set), or rejects
    with `failure` (a network error)."""

    def __init__(self):
        self.calls = []
        self.answer = JsObject(ok=True, status=204)
        self.failure = None

    def __call__(self, url, options):
        self.calls.append((url, options))
        self.returned = FakePromise(error=self.failure) if self.failure else FakePromise(self.answer)
        return self.returned


def refusal(status, reason):
    """A collector's 4xx answer as fetch gives it: `json()` resolves to `{"error": reason}`."""
    return JsObject(ok=False, status=status, json=lambda: FakePromise(JsObject(error=reason)))


class FakeWindow(EventTarget):
    """A window whose every request the tag makes ends up in `beacons`, `fetches` or `images`.

    Timers run when the test ends the tick (`end_tick`), as the event loop would.
    """

    def __init__(self, navigator=None, document=None, href="https://pub.example/a?x=1", **props):
        super().__init__(**props)
        self.navigator = navigator or FakeNavigator()
        self.document = document or FakeDocument()
        self.location = JsObject(href=href, protocol=href.split("//")[0], hostname=urlsplit(href).hostname)
        self.history = JsObject()
        self.console = JsObject(warn=lambda text: self.warnings.append(text))
        self.warnings = []
        self.timers = []
        self.timer_delays = []
        self.setTimeout = lambda callback, delay: (self.timers.append(callback), self.timer_delays.append(delay))
        self.Promise = JsObject(resolve=lambda: JsObject(then=self.timers.append))
        self.fetch = FakeFetch()
        self.Object = JsObject(js_keys=lambda value: list(value) if isinstance(value, dict) else list(vars(value)))
        self.RegExp = JsRegExp
        self.Array = JsObject(isArray=lambda value: isinstance(value, list))
        self.screen = JsObject(width=1920, height=1080)
        self.crypto = FakeCrypto()
        self.Uint8Array = bytearray
        self.Date = JsObject(now=lambda: 1764400000000)
        self.JSON = JsObject(stringify=lambda value: json.dumps(value, default=vars))
        self.Intl = JsObject(DateTimeFormat=lambda: JsObject(
            resolvedOptions=lambda: JsObject(timeZone="Europe/Paris")))
        self.encodeURIComponent = lambda text: quote(text, safe="-_.!~*'()")
        self.isNaN = lambda text: not str(text).strip().replace(".", "", 1).isdigit()
        self.images = []
        window = self

        class Image(JsObject):
            def __init__(self, width, height):
                super().__init__()
                window.images.append(self)

        self.Image = Image

    def end_tick(self):
        """Run the timers and microtasks the tag set, as the browser does once the current script is done."""
        while self.timers:
            self.timers.pop(0)()

    @property
    def requests(self):
        """Every body the tag sent by the end of this tick: beacon, fetch or image pixel."""
        self.end_tick()
        return ([body for _, body in self.navigator.beacons] + [options["body"] for _, options in self.fetch.calls]
                + [image.src for image in self.images])


class CommandStub(JsObject):
    """What the snippet's stub leaves on window.candor before the bundle loads (CONTRACT.md §1)."""

    def __init__(self, *calls):
        super().__init__(q=[])
        for call in calls:
            self(*call)

    def __call__(self, *args):
        self.q.append(tuple(js_value(arg) for arg in args) + (None,) * (3 - len(args)))
