"""Sample wire bodies, settings and the dashboard log-in shared by the collector tests.

A module of its own, not conftest.py: `from conftest import` picks whichever conftest
is first on sys.path, which is another folder's when tests/unit runs in the same session.
"""

import copy
import json

TEST_SITES = {
    "demo": {"origins": ["self"]},
    "partner": {"origins": ["https://partner.example"]},
}
TEST_INTEGRITY = "sha384-" + "A" * 64
DASHBOARD_PASSWORD = "correct horse battery staple"
EVENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
PAGE_EVENT = {
    "id": EVENT_ID,
    "type": "page",
    "ts": 1764400000000,
    "url": "https://pub.example/a?x=1",
    "ref": "https://www.google.com/search?q=shoes",
    "title": "River path reopens",
    "lang": "en-US",
    "tz": "Europe/Paris",
    "sw": 1920,
    "sh": 1080,
    "attrs": {"section": "local"},
}
BATCH = {"v": 1, "site": "demo", "uid": "4f1c2a9e8b7d6c5f4e3d2c1b0a998877", "events": [PAGE_EVENT]}


def batch(**fields):
    """A valid wire body with top-level `fields` replaced."""
    return {**copy.deepcopy(BATCH), **fields}


def batch_with_event(**fields):
    """A valid wire body whose only event has `fields` replaced."""
    return batch(events=[{**copy.deepcopy(PAGE_EVENT), **fields}])


TEXT_PLAIN = "text/plain;charset=UTF-8"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0"


def post(client, body, **kwargs):
    """POST a body (bytes, or anything JSON) to /collect as the tag does: text/plain."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    kwargs.setdefault("content_type", TEXT_PLAIN)
    return client.post("/collect", data=data, **kwargs)


def log_in(client, password=DASHBOARD_PASSWORD):
    """Post the dashboard's log-in form, as the publisher would."""
    return client.post("/dashboard/login", data={"password": password})


def make_dist(dist):
    """A built tag as build.py would leave it, with a known SRI value, in a new folder."""
    dist.mkdir()
    (dist / "candor.min.js").write_text("/* minified tag */\n")
    (dist / "candor.min.js.map").write_text('{"version": 3}\n')
    (dist / "candor.js").write_text("/* readable tag */\n")
    (dist / "candor.min.js.sri").write_text(TEST_INTEGRITY + "\n")
    return dist


class FakeClock:
    """A clock a test moves by hand: retention and daily totals without sleeping."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __call__(self):
        return self.seconds

    def advance(self, days=0, seconds=0):
        self.seconds += days * 86_400 + seconds
