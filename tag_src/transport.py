"""Getting a body to the collector without blocking the page or triggering a CORS preflight."""
# __pragma__ ('skip')
from pyshim import __new__
# __pragma__ ('noskip')


def pixel_url(win, collector, body):
    joiner = '&' if '?' in collector else '?'
    return collector + joiner + 'd=' + win.encodeURIComponent(body)


def send(win, collector, body):
    """sendBeacon posts text/plain (no preflight) and survives unload; an image GET otherwise."""
    try:
        if win.navigator.sendBeacon and win.navigator.sendBeacon(collector, body):
            return 'beacon'
    except:  # noqa: E722 - some browsers throw on a beacon over their quota
        pass
    image = __new__(win.Image(1, 1))
    image.src = pixel_url(win, collector, body)
    return 'pixel'
