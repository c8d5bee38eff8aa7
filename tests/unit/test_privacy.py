"""tracking_blockers: every signal of CONTRACT.md §2 that turns tracking off, and no others."""
import pytest
from config import default_config
from privacy import WAIT, tracking_blockers, waiting_for_decisions

SITE = {**default_config(), "site": "demo"}


def decisions(consent=WAIT, tcf=None, gpp=None):
    return {"consent": consent, "tcf": tcf, "gpp": gpp}


def blockers(win, config=SITE, consent=WAIT, tcf=None, gpp=None):
    return tracking_blockers(win, config, decisions(consent, tcf, gpp))


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
    (WAIT, ["consent"]),
    ("denied", ["consent"]),
    ("granted", []),
])
def test_require_consent_blocks_until_granted(make_window, consent, reasons):
    assert blockers(make_window(), settings(requireConsent=True), consent) == reasons


@pytest.mark.parametrize("consent, reasons", [(WAIT, []), ("granted", []), ("denied", ["consent"])])
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
    assert (blockers(win, config, tcf="denied", gpp="denied")
            == ["dnt", "gpc", "optout", "consent", "child", "tcf", "gpp", "nosite"])


@pytest.mark.parametrize("platform", ["tcf", "gpp"])
@pytest.mark.parametrize("decision, reasons", [(None, []), ("granted", []), (WAIT, ["platform"]), ("denied", ["platform"])])
def test_a_consent_platform_blocks_until_it_grants(make_window, platform, decision, reasons):
    """No platform on the page, or one that granted, adds nothing; waiting or denied adds its name."""
    expected = [platform if reason == "platform" else reason for reason in reasons]
    assert blockers(make_window(), **{platform: decision}) == expected


@pytest.mark.parametrize("reasons, state, waits", [
    (["consent"], {}, True),
    (["consent"], {"consent": "denied"}, False),
    (["dnt", "consent"], {}, False),
    ([], {}, False),
    (["child"], {}, False),
    (["tcf"], {"tcf": WAIT}, True),
    (["tcf"], {"tcf": "denied"}, False),
    (["gpp"], {"gpp": WAIT}, True),
    (["consent", "tcf"], {"tcf": WAIT}, True),
    (["consent", "tcf"], {"consent": "denied", "tcf": WAIT}, False),
    (["gpc", "tcf"], {"tcf": WAIT}, False),
    (["tcf", "gpp"], {"tcf": WAIT, "gpp": "denied"}, False),
])
def test_events_wait_only_while_every_reason_is_a_decision_to_come(reasons, state, waits):
    assert waiting_for_decisions(reasons, decisions(**state)) is waits
