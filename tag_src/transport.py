"""Getting a body to the collector without blocking the page or triggering a CORS preflight."""
# __pragma__ ('skip')
from pyshim import __new__
# __pragma__ ('noskip')


def pixel_url(win, collector, body):
    joiner = '&' if '?' in collector else '?'
    return collector + joiner + 'd=' + win.encodeURIComponent(body)


def ignore(error):
    """A failed request is lost quietly: an unhandled rejection would reach the page's error handlers."""
    return None


def send(win, collector, body):
    """sendBeacon first (text/plain, survives unload); a keepalive fetch when it is missing,
    refuses or throws; an image GET where neither works. Never waits for an answer."""
    try:
        if win.navigator.sendBeacon(collector, body):
            return
    except:  # noqa: E722 - missing (TypeError) or over a browser's quota
        pass
    try:
        win.fetch(collector, {'method': 'POST', 'body': body, 'keepalive': True}).catch(ignore)
        return
    except:  # noqa: E722 - no fetch, or a keepalive body over its 64 KB limit
        pass
    image = __new__(win.Image(1, 1))
    image.src = pixel_url(win, collector, body)
