"""The dashboard's per-process cache (candor_server/dashboard/slice_cache.py) keeps what it is
given within the app's `DASHBOARD_CACHE_BYTES` (`CANDOR_DASHBOARD_CACHE_MB`), least recently
used dropped first."""

import pytest
from flask import Flask

from candor_server import settings
from candor_server.dashboard import slice_cache

MB = 1 << 20


@pytest.fixture
def cache_of():
    """An app context whose cache holds `mb` MB (None: the default), the cache emptied before
    and after."""
    contexts = []

    def enter(mb):
        environ = {} if mb is None else {"CANDOR_DASHBOARD_CACHE_MB": str(mb)}
        app = Flask(__name__)
        app.config["DASHBOARD_CACHE_BYTES"] = settings.from_environment(environ, "/srv")["DASHBOARD_CACHE_BYTES"]
        context = app.app_context()
        context.push()
        contexts.append(context)

    slice_cache.clear()
    yield enter
    slice_cache.clear()
    for context in contexts:
        context.pop()


def test_the_least_recently_used_entry_goes_first_past_the_setting(cache_of):
    cache_of(64)
    for name in ("a", "b", "c"):
        slice_cache.put(name, name.upper(), 30 * MB)  # the third passes 64 MB
        if name == "b":
            assert slice_cache.get("a") == "A"  # "a" is now used more recently than "b"
    assert [slice_cache.get(name) for name in ("a", "b", "c")] == ["A", None, "C"]


def test_an_entry_bigger_than_the_setting_is_kept_alone(cache_of):
    cache_of(64)
    slice_cache.put("month", "M", 30 * MB)
    slice_cache.put("quarter", "Q", 100 * MB)
    assert slice_cache.get("quarter") == "Q" and slice_cache.get("month") is None


def test_the_default_keeps_a_quarter_and_two_months_at_ten_million_events(cache_of):
    cache_of(None)
    for name, mb in (("month", 201), ("month before", 201), ("quarter", 600), ("rollups", 100)):
        slice_cache.put(name, name, mb * MB)
    assert all(slice_cache.get(name) == name for name in ("month", "month before", "quarter", "rollups"))
