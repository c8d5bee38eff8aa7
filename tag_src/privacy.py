"""Why tracking is off: the one place that decides, so every path that sends data asks it."""
# __pragma__ ('alias', 'append', 'push')

from cookies import OPTOUT_COOKIE, read_cookie

DNT_ON = ['1', 'yes']
GRANTED = 'granted'
DENIED = 'denied'


def tracking_blockers(win, config, consent):
    """The reasons (CONTRACT §2) tracking is off now, for this visitor and site; empty means allowed.

    `consent` is the last candor('consent', ...) value, None before any.
    """
    nav = win.navigator
    reasons = []
    # Every Do Not Track spelling browsers have shipped.
    if nav.doNotTrack in DNT_ON or win.doNotTrack in DNT_ON or nav.msDoNotTrack in DNT_ON:
        reasons.append('dnt')
    if nav.globalPrivacyControl is True:
        reasons.append('gpc')
    if read_cookie(win.document, OPTOUT_COOKIE) is not None:
        reasons.append('optout')
    # The site's own signal: required and not (yet) granted, or explicitly denied.
    if consent == DENIED or (config['requireConsent'] and consent != GRANTED):
        reasons.append('consent')
    if config['childDirected']:
        reasons.append('child')
    # Nowhere to count the visit: the snippet has no data-site (or init no site).
    if not config['site']:
        reasons.append('nosite')
    return reasons


def only_waiting_for_consent(reasons, consent):
    """Events may wait when consent is the sole reason and the site has not decided yet."""
    return consent == None and len(reasons) == 1 and reasons[0] == 'consent'  # noqa: E711 - JS undefined too
