"""The wire format (CONTRACT §3): what one page view looks like when it leaves the browser."""
from ids import uuid4


def time_zone(win):
    try:
        return win.Intl.DateTimeFormat().resolvedOptions().timeZone
    except:  # noqa: E722 - old browsers lack Intl; the time zone is optional
        return None


def page_event(win, attrs):
    return {
        'id': uuid4(win),
        'type': 'page',
        'ts': win.Date.now(),
        'url': win.location.href,
        'ref': win.document.referrer,
        'title': win.document.title,
        'lang': win.navigator.language,
        'tz': time_zone(win),
        'sw': win.screen.width,
        'sh': win.screen.height,
        'attrs': attrs or {},
    }


def envelope(site, uid, events):
    return {'v': 1, 'site': site, 'uid': uid, 'events': events}
