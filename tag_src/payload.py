"""The wire format (CONTRACT.md §3): what one event looks like when it leaves the browser.

Fields are cut to the collector's limits (the collector's wire module) so a real page with a very
long URL or title is still counted rather than refused.
"""
# __pragma__ ('skip')
from pyshim import __typeof__
# __pragma__ ('noskip')
from ids import uuid4

MAX_URL = 2048
MAX_TITLE = 512
MAX_TEXT = 512
MAX_KEY = 64
MAX_KEYS = 32
SCALARS = ['string', 'number', 'boolean']


def time_zone(win):
    try:
        return win.Intl.DateTimeFormat().resolvedOptions().timeZone
    except:  # noqa: E722 - old browsers lack Intl; the time zone is optional
        return None


def flat_map(win, value):
    """attrs/props as the collector accepts them: scalar values under keys of 1 to 64 characters,
    at most 32 of them, strings cut to its limit.

    Anything else (a nested object, a function, a 33rd key) would make the collector refuse
    the whole batch, losing the page's other events with it.
    """
    clean = {}
    kept = 0
    if __typeof__(value) == 'object' and value:
        for key in win.Object.js_keys(value):
            kind = __typeof__(value[key])
            if kind in SCALARS and 0 < len(key) <= MAX_KEY and kept < MAX_KEYS:
                clean[key] = value[key].substring(0, MAX_TEXT) if kind == 'string' else value[key]
                kept += 1
    return clean


def base_event(win, kind, ref):
    return {
        'id': uuid4(win),
        'type': kind,
        'ts': win.Date.now(),
        'url': win.location.href.substring(0, MAX_URL),
        'ref': ref.substring(0, MAX_URL),
        'title': win.document.title.substring(0, MAX_TITLE),
        'lang': win.navigator.language,
        'tz': time_zone(win),
        'sw': win.screen.width,
        'sh': win.screen.height,
    }


def page_event(win, attrs, ref):
    """A page view; `ref` is the referrer, or the previous URL for a single-page app's view."""
    event = base_event(win, 'page', ref)
    event['attrs'] = flat_map(win, attrs)
    return event


def named_event(win, name, props):
    """candor('event', name, props); a name that is not a string throws, and the command is refused."""
    event = base_event(win, 'event', win.document.referrer)
    event['name'] = name.substring(0, MAX_KEY)
    event['props'] = flat_map(win, props)
    return event


def envelope(site, uid, events):
    return {'v': 1, 'site': site, 'uid': uid, 'events': events}
