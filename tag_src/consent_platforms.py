"""The IAB consent platforms a publisher already runs (CONTRACT.md §2): a TCF v2.2 CMP, on this
page (`__tcfapi`) or in an ancestor frame that holds `__tcfapiLocator`, and a GPP CMP (`__gpp`).

Both are read through their own event listeners, so a choice made in the CMP during the
visit counts at once. Each answer becomes a decision for tracking_blockers: WAIT until the
platform has spoken, at most WAIT_MS, then GRANTED or DENIED.
"""
from privacy import DENIED, GRANTED, WAIT

WAIT_MS = 2000
"""A CMP gets two seconds to answer; events wait that long, then an unanswered TCF CMP counts
as no consent (a missing answer is never taken for a yes)."""
DECIDING_EVENTS = ['tcloaded', 'useractioncomplete']
"""TCF event statuses that carry a decision; `cmpuishown` means the visitor is still choosing."""
GPP_OPT_OUTS = ['SaleOptOut', 'SharingOptOut', 'TargetedAdvertisingOptOut', 'Gpc']
OPTED_OUT = 1
"""GPP US sections code each opt-out as 0 not applicable, 1 opted out, 2 did not opt out; their
Gpc flag is a boolean, and `true == 1` in JS (and in Python), so one comparison reads them all."""
CALL_ID = 'candor'


def tcf_decision(tc_data, purposes):
    """GRANTED where GDPR does not apply or every purpose has purpose or publisher consent."""
    if tc_data.gdprApplies is False:
        return GRANTED
    for purpose in purposes:
        if not (tc_data.purpose.consents[purpose] or tc_data.publisher.consents[purpose]):
            return DENIED
    return GRANTED


def gpp_decision(win, ping):
    """DENIED when a section records an opt-out of sale, sharing or targeted advertising, or
    the GPC flag: only the US sections (national and state) have these fields."""
    sections = ping.parsedSections
    for name in win.Object.js_keys(sections):
        for field in GPP_OPT_OUTS:
            if sections[name][field] == OPTED_OUT:
                return DENIED
    return GRANTED


def answer_within_deadline(win, decide, platform, fallback):
    """Mark `platform` as WAIT now; what its CMP answers is decided at once, and `fallback`
    is decided if it has not answered within WAIT_MS."""
    answered = False

    def answer(decision):
        nonlocal answered
        answered = True
        decide(platform, decision)

    def expire():
        if not answered:
            decide(platform, fallback)

    decide(platform, WAIT)
    win.setTimeout(expire, WAIT_MS)
    return answer


def locator_frame(win):
    """The nearest window, this one or an ancestor, holding a `__tcfapiLocator` frame: where the
    TCF says a CMP in another frame listens for postMessage calls."""
    frame = win
    while True:
        try:
            if frame.frames['__tcfapiLocator']:
                return frame
        except:  # noqa: E722 - a browser may refuse to look into a cross-origin frame
            pass
        if frame == win.top:
            return None
        frame = frame.parent


def listen_tcf(win, purposes, decide):
    """Subscribe to the TCF CMP's addEventListener; False when the page has no CMP to ask."""
    frame = None if win.__tcfapi else locator_frame(win)
    if not win.__tcfapi and not frame:
        return False
    answer = answer_within_deadline(win, decide, 'tcf', DENIED)

    def on_tc_data(tc_data, success):
        try:
            if success and tc_data.eventStatus in DECIDING_EVENTS:
                answer(tcf_decision(tc_data, purposes))
        except:  # noqa: E722 - a CMP's malformed answer is no answer
            pass

    if win.__tcfapi:
        win.__tcfapi('addEventListener', 2, on_tc_data)
        return True

    def on_message(event):
        # Only the CMP's own frame may answer: another frame could forge a consent.
        try:
            reply = event.data.__tcfapiReturn
            if event.source == frame and reply.callId == CALL_ID:
                on_tc_data(reply.returnValue, reply.success)
        except:  # noqa: E722
            pass

    win.addEventListener('message', on_message)
    frame.postMessage({'__tcfapiCall': {'command': 'addEventListener', 'version': 2, 'callId': CALL_ID}}, '*')
    return True


def listen_gpp(win, decide):
    """Subscribe to the GPP CMP's addEventListener; every event carries the current sections.
    A GPP CMP that never answers reports no opt-out, so tracking goes on after WAIT_MS."""
    if not win.__gpp:
        return False
    answer = answer_within_deadline(win, decide, 'gpp', GRANTED)

    def on_event(event):
        try:
            if event.pingData.signalStatus == 'ready':
                answer(gpp_decision(win, event.pingData))
        except:  # noqa: E722 - a CMP's malformed answer is no answer
            pass

    win.__gpp('addEventListener', on_event)
    return True


def watch_consent_platforms(win, config, decide):
    """Ask the page's consent platforms, if any; `decide(platform, decision)` records each answer.

    A CMP that throws when called is one that never answers: its deadline still decides, and
    the rest of the tag boots as usual.
    """
    if config['tcf']:
        try:
            listen_tcf(win, config['tcfPurposes'], decide)
        except:  # noqa: E722 - the CMP's own error, native or not
            pass
    try:
        listen_gpp(win, decide)
    except:  # noqa: E722
        pass
