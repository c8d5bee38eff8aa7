"""Why tracking is off: the one place that decides, so every path that sends data asks it."""
# __pragma__ ('alias', 'append', 'push')

from cookies import OPTOUT_COOKIE, read_cookie

DNT_ON = ['1', 'yes']


def do_not_track(win):
    """True when any of the DNT spellings browsers have shipped says "do not track"."""
    nav = win.navigator
    for value in [nav.doNotTrack, win.doNotTrack, nav.msDoNotTrack]:
        if value in DNT_ON:
            return True
    return False


def tracking_blockers(win):
    """The reasons (CONTRACT §2) tracking is off for this visitor now; empty means allowed."""
    reasons = []
    if do_not_track(win):
        reasons.append('dnt')
    if win.navigator.globalPrivacyControl is True:
        reasons.append('gpc')
    if read_cookie(win.document, OPTOUT_COOKIE) is not None:
        reasons.append('optout')
    return reasons
