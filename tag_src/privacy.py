"""Why tracking is off: the one place that decides, so every path that sends data asks it."""
# __pragma__ ('alias', 'append', 'push')

from cookies import OPTOUT_COOKIE, read_cookie

DNT_ON = ['1', 'yes']
GRANTED = 'granted'
DENIED = 'denied'
WAIT = 'wait'
PLATFORMS = ['tcf', 'gpp']
DECIDED_LATER = ['consent', 'tcf', 'gpp']


def tracking_blockers(win, config, decisions):
    """The reasons (CONTRACT.md §2) tracking is off now, for this visitor and site; empty means allowed.

    `decisions` holds what is decided after the page loads: 'consent', the last
    candor('consent', ...) value (WAIT before any), and for each consent platform, 'tcf' and
    'gpp', None when the page has none, WAIT until it answers, then GRANTED or DENIED.
    """
    consent = decisions['consent']
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
    # A consent platform that has not answered yet blocks too, so status never claims tracking early.
    for platform in PLATFORMS:
        if decisions[platform] == WAIT or decisions[platform] == DENIED:
            reasons.append(platform)
    # Nowhere to count the visit: the snippet has no data-site (or init no site).
    if not config['site']:
        reasons.append('nosite')
    return reasons


def waiting_for_decisions(reasons, decisions):
    """Events may wait while every reason is a decision still to come (the site's consent, a
    consent platform's first answer); any other reason drops them."""
    for reason in reasons:
        if reason not in DECIDED_LATER or decisions[reason] != WAIT:
            return False
    return len(reasons) > 0
