"""TCF v2.2 and GPP consent platforms (CONTRACT.md §2), with fake CMPs that speak the IAB's call
shapes; the browser tests (tests/browser/test_iab_cmps.py) run the IAB's own code."""
import pytest
from candor import boot
from consent_platforms import WAIT_MS, gpp_decision, listen_tcf, locator_frame, tcf_decision
from fakes import CommandStub, FakeDocument, FakeScript, FakeWindow, JsObject, JsString
from sent import sent_events as all_sent_events

SCRIPT = FakeScript(**{"data-site": "demo", "data-collector": "/collect"})


class JsNumberKeys(dict):
    """A JS object indexed by numbers: consents[1] and consents['1'] are the same key; absent is undefined."""

    def __getitem__(self, key):
        return dict.get(self, str(key))


def tc_data(status="tcloaded", gdpr_applies=True, purposes=(), publisher=()):
    """TCData as a TCF v2.2 CMP hands it to addEventListener callbacks."""
    return JsObject(eventStatus=status, gdprApplies=gdpr_applies,
                    purpose=JsObject(consents=JsNumberKeys({str(p): True for p in purposes})),
                    publisher=JsObject(consents=JsNumberKeys({str(p): True for p in publisher})))


class FakeTcfApi:
    """window.__tcfapi: keeps addEventListener callbacks so a test can answer as the CMP would."""

    def __init__(self):
        self.calls = []
        self.listeners = []

    def __call__(self, command, version, callback):
        self.calls.append((command, version))
        self.listeners.append(callback)

    def answer(self, data, success=True):
        for listener in self.listeners:
            listener(data, success)


class FakeGppApi:
    def __init__(self):
        self.listeners = []

    def __call__(self, command, callback):
        assert command == "addEventListener"
        self.listeners.append(callback)

    def answer(self, sections, status="ready"):
        for listener in self.listeners:
            listener(JsObject(eventName="signalStatus",
                              pingData=JsObject(signalStatus=status, parsedSections=sections)))


def usnat(**fields):
    values = {"SaleOptOut": 2, "SharingOptOut": 2, "TargetedAdvertisingOptOut": 2, "Gpc": False}
    values.update(fields)
    return JsObject(**values)


def page_window(**props):
    """A page whose timers of WAIT_MS are held in `later` until the test lets the time pass."""
    win = FakeWindow(document=FakeDocument(script=SCRIPT), **props)
    win.later = []
    win.seen = 0
    plain_timeout = win.setTimeout
    win.setTimeout = lambda callback, delay: (win.later.append(callback) if delay == WAIT_MS
                                              else plain_timeout(callback, delay))
    return win


def booted(win, *calls):
    win.candor = CommandStub(*calls)
    boot(win)
    return win


def sent_events(win):
    """Events sent since the last call, by the end of this tick."""
    events = all_sent_events(win)
    fresh = events[win.seen:]
    win.seen = len(events)
    return fresh


def let_deadline_pass(win):
    for callback in win.later:
        callback()


def status(win):
    assert win.warnings == [], "every command in these tests is valid"
    answers = []
    win.candor("status", answers.append, None)
    return answers[0]


@pytest.mark.parametrize("data, purposes, decision", [
    (tc_data(purposes=[1, 8]), [1, 8], "granted"),
    (tc_data(publisher=[1, 8]), [1, 8], "granted"),
    (tc_data(purposes=[1], publisher=[8]), [1, 8], "granted"),
    (tc_data(purposes=[1]), [1, 8], "denied"),
    (tc_data(purposes=[2, 3, 4, 5, 6, 7, 9, 10]), [1, 8], "denied"),
    (tc_data(), [1, 8], "denied"),
    (tc_data(gdpr_applies=False), [1, 8], "granted"),
    (tc_data(purposes=[1]), [1], "granted"),
    (tc_data(purposes=[1, 8]), ["1", "8"], "granted"),
    (tc_data(purposes=[1, 8]), [1, 7, 8], "denied"),
])
def test_tcf_needs_every_purpose_as_purpose_or_publisher_consent(data, purposes, decision):
    assert tcf_decision(data, purposes) == decision


@pytest.mark.parametrize("sections, decision", [
    ({"usnat": usnat()}, "granted"),
    ({"usnat": usnat(SaleOptOut=1)}, "denied"),
    ({"usnat": usnat(SharingOptOut=1)}, "denied"),
    ({"usnat": usnat(TargetedAdvertisingOptOut=1)}, "denied"),
    ({"usnat": usnat(Gpc=True)}, "denied"),
    ({"usnat": usnat(SaleOptOut=0, SharingOptOut=0, TargetedAdvertisingOptOut=0)}, "granted"),
    ({"usca": JsObject(SaleOptOut=2, SharingOptOut=1)}, "denied"),
    ({"usva": JsObject(SaleOptOut=2, TargetedAdvertisingOptOut=1)}, "denied"),
    ({"tcfeuv2": JsObject(PurposeConsents=[False] * 24), "usnat": usnat()}, "granted"),
    ({}, "granted"),
])
def test_gpp_opt_outs_of_a_us_section_or_its_gpc_flag_deny(sections, decision):
    assert gpp_decision(FakeWindow(), JsObject(parsedSections=sections)) == decision


def test_without_a_consent_platform_the_page_view_leaves_at_once():
    win = booted(page_window())
    assert len(sent_events(win)) == 1 and win.later == []


def test_tcf_consent_sends_what_waited():
    api = FakeTcfApi()
    win = booted(page_window(__tcfapi=api), ["event", "early", None])
    assert sent_events(win) == [], "events wait for the CMP"
    assert status(win) == {"tracking": False, "reasons": ["tcf"]}
    assert api.calls == [("addEventListener", 2)]
    api.answer(tc_data(purposes=[1, 8]))
    assert [event["type"] for event in sent_events(win)] == ["event", "page"]
    assert status(win) == {"tracking": True, "reasons": []}


def test_tcf_refusal_drops_what_waited_and_what_follows():
    api = FakeTcfApi()
    win = booted(page_window(__tcfapi=api))
    api.answer(tc_data(purposes=[1]))
    win.candor("event", JsString("later"), None)
    assert sent_events(win) == []
    assert status(win) == {"tracking": False, "reasons": ["tcf"]}
    assert "candor_id" not in win.document.jar.raw


def test_tcf_gdpr_not_applying_tracks():
    api = FakeTcfApi()
    win = booted(page_window(__tcfapi=api))
    api.answer(tc_data(gdpr_applies=False))
    assert len(sent_events(win)) == 1


def test_tcf_ui_shown_is_still_waiting_and_a_failed_call_is_no_answer():
    api = FakeTcfApi()
    win = booted(page_window(__tcfapi=api))
    api.answer(tc_data(status="cmpuishown", purposes=[1, 8]))
    api.answer(tc_data(purposes=[1, 8]), success=False)
    api.answer(None)
    assert sent_events(win) == [] and status(win)["reasons"] == ["tcf"]
    api.answer(tc_data(status="useractioncomplete", purposes=[1, 8]))
    assert len(sent_events(win)) == 1


def test_a_tcf_cmp_that_never_answers_counts_as_no_consent_after_the_deadline():
    win = booted(page_window(__tcfapi=FakeTcfApi()))
    assert sent_events(win) == [] and len(win.later) == 1
    let_deadline_pass(win)
    win.candor("event", JsString("later"), None)
    assert sent_events(win) == []
    assert status(win) == {"tracking": False, "reasons": ["tcf"]}


def test_an_answer_after_the_deadline_still_takes_effect():
    api = FakeTcfApi()
    win = booted(page_window(__tcfapi=api))
    let_deadline_pass(win)
    api.answer(tc_data(status="useractioncomplete", purposes=[1, 8]))
    win.candor("event", JsString("after"), None)
    assert [event["name"] for event in sent_events(win)] == ["after"]


def test_a_change_in_the_cmp_takes_effect_at_once():
    api = FakeTcfApi()
    win = booted(page_window(__tcfapi=api))
    api.answer(tc_data(purposes=[1, 8]))
    assert len(sent_events(win)) == 1
    api.answer(tc_data(status="useractioncomplete"))
    win.candor("event", JsString("refused"), None)
    assert sent_events(win) == []
    api.answer(tc_data(status="useractioncomplete", publisher=[1, 8]))
    win.candor("event", JsString("again"), None)
    assert [event["name"] for event in sent_events(win)] == ["again"]


def test_tcf_off_ignores_the_cmp():
    api = FakeTcfApi()
    win = booted(page_window(__tcfapi=api), ["init", JsObject(tcf=False)])
    assert len(sent_events(win)) == 1 and api.calls == []


def test_tcf_purposes_setting_chooses_what_must_be_consented():
    api = FakeTcfApi()
    win = booted(page_window(__tcfapi=api), ["init", JsObject(tcfPurposes=[1])])
    api.answer(tc_data(purposes=[1]))
    assert len(sent_events(win)) == 1


def framed_window(parent):
    """A frame without __tcfapi inside `parent`, which may hold the __tcfapiLocator frame."""
    win = page_window()
    win.parent = parent
    win.top = parent.top or parent
    return win


class FakeParent(JsObject):
    def __init__(self, locator=True):
        super().__init__(frames=JsObject(__tcfapiLocator=JsObject() if locator else None))
        self.posted = []

    def postMessage(self, message, origin):
        self.posted.append((message, origin))


def deliver(win, data, source):
    for listener in win.listeners.get("message", []):
        listener(JsObject(data=data, source=source))


def test_a_cmp_in_a_parent_frame_is_called_through_postmessage():
    parent = FakeParent()
    win = booted(framed_window(parent))
    [(message, origin)] = parent.posted
    call = message["__tcfapiCall"]
    assert (call["command"], call["version"], origin) == ("addEventListener", 2, "*")
    assert sent_events(win) == []
    reply = {"__tcfapiReturn": JsObject(returnValue=tc_data(purposes=[1, 8]), success=True, callId=call["callId"])}
    deliver(win, JsObject(**reply), parent)
    assert len(sent_events(win)) == 1


def test_only_the_cmp_frame_may_answer_and_only_to_our_call():
    parent = FakeParent()
    win = booted(framed_window(parent))
    call_id = parent.posted[0][0]["__tcfapiCall"]["callId"]
    granted = tc_data(purposes=[1, 8])
    deliver(win, JsObject(__tcfapiReturn=JsObject(returnValue=granted, success=True, callId=call_id)), JsObject())
    deliver(win, JsObject(__tcfapiReturn=JsObject(returnValue=granted, success=True, callId="other")), parent)
    deliver(win, "not an object", parent)
    assert sent_events(win) == [] and status(win)["reasons"] == ["tcf"]


def test_the_locator_is_searched_up_to_the_top_window():
    top = FakeParent()
    middle = FakeParent(locator=False)
    middle.parent = top
    middle.top = top
    win = framed_window(middle)
    assert locator_frame(win) is top
    assert locator_frame(framed_window(FakeParent(locator=False))) is None


def test_a_frame_that_refuses_to_be_looked_into_is_skipped():
    class Guarded(FakeParent):
        @property
        def frames(self):
            raise PermissionError("SecurityError")

    assert locator_frame(framed_window(Guarded())) is None


def test_no_cmp_anywhere_means_no_listener_and_no_wait():
    decided = []
    win = framed_window(FakeParent(locator=False))
    assert listen_tcf(win, [1, 8], lambda *args: decided.append(args)) is False
    assert decided == [] and win.later == []


def test_gpp_opt_out_blocks_and_drops_what_waited():
    api = FakeGppApi()
    win = booted(page_window(__gpp=api))
    assert sent_events(win) == [] and status(win)["reasons"] == ["gpp"]
    api.answer({"usnat": usnat(SaleOptOut=1)})
    assert sent_events(win) == []
    assert status(win) == {"tracking": False, "reasons": ["gpp"]}


def test_gpp_without_opt_out_sends_what_waited_and_not_ready_is_still_waiting():
    api = FakeGppApi()
    win = booted(page_window(__gpp=api))
    api.answer({"usnat": usnat()}, status="not ready")
    assert sent_events(win) == []
    api.answer({"usnat": usnat()})
    assert len(sent_events(win)) == 1


def test_a_gpp_cmp_that_never_answers_reports_no_opt_out_after_the_deadline():
    win = booted(page_window(__gpp=FakeGppApi()))
    assert sent_events(win) == []
    let_deadline_pass(win)
    assert len(sent_events(win)) == 1



def broken_cmp(*args):
    raise TypeError("a CMP's own bug")


def test_a_tcf_cmp_that_throws_is_one_that_never_answers():
    win = booted(page_window(__tcfapi=broken_cmp))
    assert sent_events(win) == [] and status(win)["reasons"] == ["tcf"]
    let_deadline_pass(win)
    assert sent_events(win) == []
    assert "pagehide" in win.listeners, "the rest of the tag booted"


def test_a_gpp_cmp_that_throws_is_one_that_never_answers():
    win = booted(page_window(__gpp=broken_cmp))
    assert sent_events(win) == []
    let_deadline_pass(win)
    assert len(sent_events(win)) == 1
