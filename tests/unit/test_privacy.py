"""tracking_blockers: every signal of CONTRACT §2 that turns tracking off, and no others."""
import pytest
from config import default_config
from privacy import only_waiting_for_consent, tracking_blockers

SITE = {**default_config(), "site": "demo"}


def blockers(win, config=SITE, consent=None):
    return tracking_blockers(win, config, consent)


@pytest.mark.parametrize("navigator, window_props", [
    ({"doNotTrack": "1"}, {}),
    ({"doNotTrack": "yes"}, {}),
    ({}, {"doNotTrack": "1"}),
    ({}, {"doNotTrack": "yes"}),
    ({"msDoNotTrack": "1"}, {}),
    ({"msDoNotTrack": "yes"}, {}),
    ({"doNotTrack": "unspecified", "msDoNotTrack": "1"}, {}),
])
def test_every_do_not_track_spelling_blocks(make_window, navigator, window_props):
    assert blockers(make_window(navigator=navigator, **window_props)) == ["dnt"]


@pytest.mark.parametrize("value", [None, "0", "no", "unspecified", "", "true", 1])
def test_do_not_track_values_that_do_not_mean_on(make_window, value):
    win = make_window(navigator={"doNotTrack": value, "msDoNotTrack": value}, doNotTrack=value)
    assert blockers(win) == []


def test_global_privacy_control_blocks(make_window):
    assert blockers(make_window(navigator={"globalPrivacyControl": True})) == ["gpc"]


@pytest.mark.parametrize("value", [None, False, "true", 1])
def test_global_privacy_control_only_counts_when_exactly_true(make_window, value):
    assert blockers(make_window(navigator={"globalPrivacyControl": value})) == []


@pytest.mark.parametrize("cookies", [
    "candor_optout=1",
    "a=b; candor_optout=1; c=d",
    "candor_optout=1;theme=dark",
    "broken; candor_optout=1",
])
def test_opt_out_cookie_blocks(make_window, cookies):
    assert blockers(make_window(cookies=cookies)) == ["optout"]


@pytest.mark.parametrize("cookies", ["", "candor_id=abc", "xcandor_optout=1", "candor_optout_old=1", ";;", "=", "candor_optout"])
def test_without_opt_out_cookie_nothing_blocks(make_window, cookies):
    assert blockers(make_window(cookies=cookies)) == []


def test_all_reasons_are_reported_together(make_window):
    win = make_window(cookies="candor_optout=1", navigator={"doNotTrack": "1", "globalPrivacyControl": True})
    assert blockers(win) == ["dnt", "gpc", "optout"]


def settings(**changes):
    return {**SITE, **changes}


@pytest.mark.parametrize("consent, reasons", [
    (None, ["consent"]),
    ("denied", ["consent"]),
    ("granted", []),
])
def test_require_consent_blocks_until_granted(make_window, consent, reasons):
    assert blockers(make_window(), settings(requireConsent=True), consent) == reasons


@pytest.mark.parametrize("consent, reasons", [(None, []), ("granted", []), ("denied", ["consent"])])
def test_a_denied_consent_blocks_even_where_it_is_not_required(make_window, consent, reasons):
    assert blockers(make_window(), SITE, consent) == reasons


def test_a_child_directed_site_is_never_tracked(make_window):
    assert blockers(make_window(), settings(childDirected=True), "granted") == ["child"]


@pytest.mark.parametrize("site", [None, ""])
def test_a_page_without_a_site_id_is_never_tracked_and_says_why(make_window, site):
    assert blockers(make_window(), settings(site=site), "granted") == ["nosite"]


def test_every_reason_in_contract_order(make_window):
    win = make_window(cookies="candor_optout=1", navigator={"doNotTrack": "1", "globalPrivacyControl": True})
    config = settings(requireConsent=True, childDirected=True, site=None)
    assert blockers(win, config) == ["dnt", "gpc", "optout", "consent", "child", "nosite"]


@pytest.mark.parametrize("reasons, consent, waits", [
    (["consent"], None, True),
    (["consent"], "denied", False),
    (["dnt", "consent"], None, False),
    ([], None, False),
    (["child"], None, False),
])
def test_only_an_undecided_consent_makes_events_wait(reasons, consent, waits):
    assert only_waiting_for_consent(reasons, consent) is waits
