"""The booted tag end to end in CPython: every command (CONTRACT.md §1), what it sends and stores."""
import pytest
from candor import boot
from fakes import CommandStub, FakeScript, JsObject, JsString
from sent import sent_bodies, sent_events

SCRIPT = FakeScript(**{"data-site": "demo", "data-collector": "/collect"})


def booted(make_window, *calls, **settings):
    """A window whose tag booted with the data-attribute snippet after the stub queued `calls`."""
    win = make_window(script=SCRIPT, candor=CommandStub(*calls), **settings)
    boot(win)
    return win


def test_no_signal_sends_one_page_view_in_the_wire_format(make_window):
    win = booted(make_window)
    assert [url for url, _ in win.navigator.beacons] == [] and win.timers, "sent only once the tick ends"
    [body] = sent_bodies(win)
    assert [url for url, _ in win.navigator.beacons] == ["/collect"]
    uid = win.document.jar.raw.split("candor_id=")[1]
    assert body["v"] == 1 and body["site"] == "demo" and body["uid"] == uid
    [event] = body["events"]
    assert event["type"] == "page"
    assert event["url"] == "https://pub.example/a?x=1"
    assert event["ref"] == "https://www.google.com/search?q=shoes"
    assert event["ts"] == 1764400000000 and event["title"] == "A page"
    assert (event["lang"], event["tz"], event["sw"], event["sh"]) == ("en-US", "Europe/Paris", 1920, 1080)
    assert event["attrs"] == {}


def test_visitor_id_cookie_lives_180_days_and_is_renewed(make_window):
    uid = "0123456789abcdef0123456789abcdef"
    win = booted(make_window, cookies="candor_id=" + uid)
    assert sent_bodies(win)[0]["uid"] == uid
    assert win.document.jar.attributes_of_last_write("candor_id") == [
        f"candor_id={uid}", "Max-Age=15552000", "Path=/", "SameSite=Lax", "Domain=pub.example", "Secure"]


def test_a_tampered_visitor_id_is_replaced(make_window):
    win = booted(make_window, cookies="candor_id=alice@example.com")
    assert sent_bodies(win)[0]["uid"] != "alice@example.com"
    assert "alice" not in win.document.jar.raw


@pytest.mark.parametrize("settings", [
    {"navigator": {"doNotTrack": "1"}},
    {"doNotTrack": "yes"},
    {"navigator": {"msDoNotTrack": "1"}},
    {"navigator": {"globalPrivacyControl": True}},
    {"cookies": "candor_optout=1"},
])
def test_when_tracking_is_off_nothing_is_sent_and_no_id_is_set(make_window, settings):
    win = booted(make_window, ["page", JsObject(a=1)], ["event", "signup", None], **settings)
    assert win.requests == []
    assert not any(write.startswith("candor_id") for write in win.document.jar.writes)


@pytest.mark.parametrize("option, value", [("requireConsent", True), ("childDirected", True)])
def test_site_settings_that_turn_tracking_off_send_nothing(make_window, option, value):
    win = booted(make_window, ["init", JsObject(**{option: value})], ["event", "signup", None])
    assert win.requests == []
    assert not any(write.startswith("candor_id") for write in win.document.jar.writes)


def test_an_opt_out_is_renewed_on_every_page(make_window):
    win = booted(make_window, cookies="candor_optout=1")
    assert win.document.jar.attributes_of_last_write("candor_optout") == [
        "candor_optout=1", "Max-Age=34560000", "Path=/", "SameSite=Lax", "Domain=pub.example", "Secure"]


def test_queued_commands_run_in_order_and_one_tick_is_one_request(make_window):
    win = make_window(candor=CommandStub(
        ["init", JsObject(site="news", collector="https://c.example/c")],
        ["page", JsObject(section="sport")],
        ["event", "signup", JsObject(plan="pro", seats=3, paid=True)],
    ))
    boot(win)
    [body] = sent_bodies(win)
    assert [url for url, _ in win.navigator.beacons] == ["https://c.example/c"]
    assert body["site"] == "news"
    first, second, third = body["events"]
    assert (first["type"], first["attrs"]) == ("page", {"section": "sport"})
    assert (second["type"], second["name"], second["props"]) == ("event", "signup", {"plan": "pro", "seats": 3, "paid": True})
    assert (third["type"], third["attrs"]) == ("page", {})
    assert len({event["id"] for event in body["events"]}) == 3


def test_calls_after_load_run_at_once_and_later_ticks_are_new_requests(make_window):
    win = booted(make_window)
    win.end_tick()
    win.candor("event", JsString("play"), JsObject(video="intro"))
    win.candor("page", JsObject(tab="2"), None)
    bodies = sent_bodies(win)
    assert len(bodies) == 2
    assert [event["type"] for event in bodies[1]["events"]] == ["event", "page"]


def test_auto_page_view_can_be_turned_off(make_window):
    win = booted(make_window, ["init", JsObject(autoPageview=False)])
    assert win.requests == []
    win.candor("page", None, None)
    assert len(win.requests) == 1


def test_without_a_site_nothing_is_sent_and_status_says_why(make_window):
    win = make_window(candor=CommandStub(["event", "signup", None]))
    boot(win)
    assert win.requests == []
    reports = []
    win.candor("status", reports.append, None)
    assert reports == [{"tracking": False, "reasons": ["nosite"]}]


def test_loading_the_bundle_twice_counts_the_page_once(make_window):
    win = make_window(script=SCRIPT)
    boot(win)
    boot(win)
    assert len(win.requests) == 1


def test_opt_out_sets_the_cookie_forgets_the_visitor_and_drops_what_is_queued(make_window):
    win = booted(make_window, ["event", "signup", None], ["optOut"])
    assert win.requests == []
    assert win.document.jar.raw == "candor_optout=1"
    assert win.document.jar.attributes_of_last_write("candor_optout")[1] == "Max-Age=34560000"
    win.candor("page", None, None)
    assert win.requests == []


def test_opt_in_removes_the_opt_out_but_not_dnt(make_window):
    win = booted(make_window, cookies="candor_optout=1", navigator={"doNotTrack": "1"})
    win.candor("optIn", None, None)
    assert "candor_optout" not in win.document.jar.raw
    reports = []
    win.candor("status", reports.append, None)
    assert reports == [{"tracking": False, "reasons": ["dnt"]}]


def test_opt_in_tracks_again(make_window):
    win = booted(make_window, cookies="candor_optout=1")
    win.candor("optIn", None, None)
    win.candor("page", None, None)
    assert len(win.requests) == 1


def test_status_reports_tracking_on(make_window):
    win = booted(make_window)
    reports = []
    win.candor("status", reports.append, None)
    assert reports == [{"tracking": True, "reasons": []}]


def test_consent_granted_sends_what_waited_for_it_in_one_request(make_window):
    win = booted(make_window, ["init", JsObject(requireConsent=True)], ["event", "signup", None])
    assert win.requests == []
    win.candor("consent", JsString("granted"), None)
    [body] = sent_bodies(win)
    assert [event["type"] for event in body["events"]] == ["event", "page"]


def test_consent_denied_drops_what_waited_and_everything_after(make_window):
    win = booted(make_window, ["init", JsObject(requireConsent=True)])
    win.candor("consent", JsString("denied"), None)
    win.candor("consent", JsString("granted"), None)
    assert win.requests == [], "what was dropped does not come back with a later grant"
    win.candor("event", JsString("after"), None)
    assert [event["name"] for event in sent_events(win)] == ["after"]


def test_consent_withdrawn_during_the_visit_stops_sending_at_once(make_window):
    win = booted(make_window)
    win.end_tick()
    sent_before = len(win.requests)
    win.candor("event", JsString("queued"), None)
    win.candor("consent", JsString("denied"), None)
    assert len(win.requests) == sent_before
    reports = []
    win.candor("status", reports.append, None)
    assert reports == [{"tracking": False, "reasons": ["consent"]}]


def test_child_directed_init_drops_events_queued_before_it(make_window):
    win = booted(make_window, ["event", "early", None], ["init", JsObject(childDirected=True)])
    assert win.requests == []


@pytest.mark.parametrize("call", [
    ["no-such-command"],
    ["event"],
    ["event", ""],
    ["event", 42],
    ["consent", "maybe"],
    ["init", None],
    ["status", "not a function"],
])
def test_unknown_commands_and_bad_arguments_are_one_warning_each(make_window, call):
    win = booted(make_window, call)
    assert win.warnings == ["candor: ignored " + call[0]]
    assert [event["type"] for event in sent_events(win)] == ["page"]


def test_pagehide_sends_what_is_pending_before_the_timer(make_window):
    win = booted(make_window)
    win.fire("pagehide")
    assert len(win.navigator.beacons) == 1
    win.end_tick()
    assert len(win.navigator.beacons) == 1


@pytest.mark.parametrize("state, sent", [("hidden", 1), ("visible", 0)])
def test_a_hidden_page_sends_what_is_pending(make_window, state, sent):
    win = booted(make_window)
    win.document.visibilityState = state
    win.document.fire("visibilitychange")
    assert len(win.navigator.beacons) == sent


def test_errors_never_escape_into_the_page(make_window):
    """Cookies, beacon, fetch, image, console and callback all throw: the page still sees nothing."""
    win = make_window(script=SCRIPT)
    win.document.cookie_error = PermissionError("SecurityError")
    win.navigator.sendBeacon = lambda url, body: 1 / 0
    win.fetch = None
    win.Image = None
    win.console = None
    boot(win)
    win.end_tick()
    win.candor("status", lambda report: 1 / 0, None)
    win.candor("page", None, None)
    win.candor("no-such-command", None, None)
    win.fire("pagehide")


def test_a_broken_window_does_not_raise():
    boot(JsObject())


def test_where_cookies_throw_the_page_is_counted_without_a_kept_id(make_window):
    win = make_window(script=SCRIPT)
    win.document.cookie_error = PermissionError("SecurityError: sandboxed frame")
    boot(win)
    [body] = sent_bodies(win)
    assert len(body["uid"]) == 32


def test_what_the_tag_sends_is_what_the_collector_accepts(make_window):
    """The wire contract from both ends: the tag's own body passes the collector's check."""
    from candor_server.collector.wire import parse_body

    long = "x" * 5000
    win = make_window(script=SCRIPT, href="https://pub.example/?q=" + long, candor=CommandStub(
        ["page", JsObject(section="sport", paid=False, nested=JsObject(a=1), text=long)],
        ["event", "signup", JsObject(plan="pro", seats=2.5, tags=["a"])],
    ))
    win.document.title = JsString(long)
    win.document.referrer = JsString("https://ref.example/" + long)
    boot(win)
    [(_, body)] = (win.end_tick(), win.navigator.beacons)[1]
    batch = parse_body(body.encode())
    assert batch.site == "demo" and [event["type"] for event in batch.events] == ["page", "event", "page"]


def test_cookieless_sends_no_uid_and_reads_or_writes_no_cookie(make_window):
    win = booted(make_window, ["init", JsObject(cookieless=True)], ["event", "signup", None],
                 cookies="candor_id=0123456789abcdef0123456789abcdef")
    [body] = sent_bodies(win)
    assert body["uid"] is None and sorted(event["type"] for event in body["events"]) == ["event", "page"]
    assert win.document.jar.writes == [] and win.document.jar.raw == "candor_id=0123456789abcdef0123456789abcdef"


def test_cookieless_from_the_data_attribute(make_window):
    script = FakeScript(**{"data-site": "demo", "data-collector": "/collect", "data-cookieless": "true"})
    win = make_window(script=script)
    boot(win)
    assert sent_bodies(win)[0]["uid"] is None and win.document.jar.writes == []


def test_status_says_cookieless_only_in_cookieless_mode(make_window):
    answers = []
    win = booted(make_window, ["init", JsObject(cookieless=True)], ["status", answers.append])
    plain = booted(make_window, ["status", answers.append])
    assert answers == [{"tracking": True, "reasons": [], "cookieless": True}, {"tracking": True, "reasons": []}]
    assert win.warnings == [] and plain.warnings == []


@pytest.mark.parametrize("attributes, warning, beacons", [
    ({"data-collector": "/collect"}, "candor: data-site missing or malformed", []),
    ({"data-site": "demo"}, "candor: data-collector missing or malformed", ["/collect"]),
    ({"data-site": "demo", "data-collector": "htps://stats.example/collect"},
     "candor: data-collector missing or malformed", ["htps://stats.example/collect"]),
])
def test_a_setting_that_cannot_work_is_one_warning_naming_it(make_window, attributes, warning, beacons):
    win = make_window(script=FakeScript(**attributes), candor=CommandStub())
    boot(win)
    win.end_tick()
    assert win.warnings == [warning]
    assert [url for url, _ in win.navigator.beacons] == beacons


def test_settings_given_by_a_queued_init_are_not_reported_missing(make_window):
    win = make_window(script=FakeScript(), candor=CommandStub(
        ["init", JsObject(site="demo", collector="https://stats.example/collect")]))
    boot(win)
    win.end_tick()
    assert win.warnings == [] and [url for url, _ in win.navigator.beacons] == ["https://stats.example/collect"]
