"""The tracker: one tick is one request, batches stay small, waiting is bounded."""
from config import default_config
from fakes import FakeWindow, JsString
from payload import page_event
from sent import sent_bodies
from tracker import MAX_BATCH, MAX_WAITING, create_tracker


def tracker_for(win, **settings):
    config = dict(default_config(), site="demo", **settings)
    return create_tracker(win, config)


def test_events_of_one_tick_leave_together_and_in_batches_the_collector_accepts():
    win = FakeWindow()
    tracker = tracker_for(win)
    for _ in range(MAX_BATCH + 3):
        tracker["_enqueue"](page_event(win, None, JsString("")))
    assert len(win.timers) == 1, "one timer per tick, however many events"
    bodies = sent_bodies(win)
    assert [len(body["events"]) for body in bodies] == [MAX_BATCH, 3]
    assert bodies[0]["uid"] == bodies[1]["uid"]


def test_events_waiting_for_consent_are_bounded():
    win = FakeWindow()
    tracker = tracker_for(win, requireConsent=True)
    for _ in range(MAX_WAITING + 5):
        tracker["_enqueue"](page_event(win, None, JsString("")))
    win.end_tick()
    tracker["_decide"]("consent", "granted")
    assert sum(len(body["events"]) for body in sent_bodies(win)) == MAX_WAITING


def test_an_empty_flush_reads_no_cookie_and_sends_nothing():
    win = FakeWindow()
    tracker_for(win)["_flush"]()
    assert win.requests == [] and win.document.jar.writes == []
