"""Getting a body to the collector without blocking the page or triggering a CORS preflight."""
# __pragma__ ('skip')
from pyshim import __new__
# __pragma__ ('noskip')
from notices import warn


def send(win, collector, body):
    """sendBeacon first (text/plain, survives unload); a keepalive fetch when it is missing,
    refuses or throws; an image GET where neither works. Nothing waits for an answer, but a
    refusal the fetch can read (the collector allows the page's origin to) names its reason
    in the console, so a publisher sees why no data arrives."""
    try:
        if win.navigator.sendBeacon(collector, body):
            return
    except:  # noqa: E722 - missing (TypeError) or over a browser's quota
        pass
    try:
        # A failed request is lost quietly: an unhandled rejection would reach the page's handlers.
        win.fetch(collector, {'method': 'POST', 'body': body, 'keepalive': True}).then(
            lambda answer: answer.ok or answer.json().then(lambda refusal: warn(win, 'refused: ' + refusal.error))
        ).catch(lambda error: None)
        return
    except:  # noqa: E722 - no fetch, or a keepalive body over its 64 KB limit
        pass
    image = __new__(win.Image(1, 1))
    image.src = collector + ('&' if '?' in collector else '?') + 'd=' + win.encodeURIComponent(body)
