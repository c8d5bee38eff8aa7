"""tracking_blockers: every signal of CONTRACT §2 that turns tracking off, and no others."""
import pytest

from privacy import tracking_blockers


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
    assert tracking_blockers(make_window(navigator=navigator, **window_props)) == ["dnt"]


@pytest.mark.parametrize("value", [None, "0", "no", "unspecified", "", "true", 1])
def test_do_not_track_values_that_do_not_mean_on(make_window, value):
    win = make_window(navigator={"doNotTrack": value, "msDoNotTrack": value}, doNotTrack=value)
    assert tracking_blockers(win) == []


def test_global_privacy_control_blocks(make_window):
    assert tracking_blockers(make_window(navigator={"globalPrivacyControl": True})) == ["gpc"]


@pytest.mark.parametrize("value", [None, False, "true", 1])
def test_global_privacy_control_only_counts_when_exactly_true(make_window, value):
    assert tracking_blockers(make_window(navigator={"globalPrivacyControl": value})) == []


@pytest.mark.parametrize("cookies", [
    "candor_optout=1",
    "a=b; candor_optout=1; c=d",
    "candor_optout=1;theme=dark",
    "broken; candor_optout=1",
])
def test_opt_out_cookie_blocks(make_window, cookies):
    assert tracking_blockers(make_window(cookies=cookies)) == ["optout"]


@pytest.mark.parametrize("cookies", ["", "candor_id=abc", "xcandor_optout=1", "candor_optout_old=1", ";;", "=", "candor_optout"])
def test_without_opt_out_cookie_nothing_blocks(make_window, cookies):
    assert tracking_blockers(make_window(cookies=cookies)) == []


def test_all_reasons_are_reported_together(make_window):
    win = make_window(cookies="candor_optout=1", navigator={"doNotTrack": "1", "globalPrivacyControl": True})
    assert tracking_blockers(win) == ["dnt", "gpc", "optout"]
