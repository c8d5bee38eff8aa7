"""Fixtures for the Flask side: an app with its own database, sites and built tag
in a temporary folder, so no test touches the repository's data or dist/."""

import copy

import pytest

from demo_site import create_app, db

TEST_SITES = {
    "demo": {"origins": ["self"]},
    "partner": {"origins": ["https://partner.example"]},
}
TEST_INTEGRITY = "sha384-" + "A" * 64
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


@pytest.fixture(autouse=True)
def no_candor_environment(monkeypatch):
    """A developer's own CANDOR_* settings must not leak into the tests."""
    for name in ("CANDOR_DATA_DIR", "CANDOR_DATABASE_URL", "CANDOR_SITES"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def dist_dir(tmp_path):
    """A built tag as build.py would leave it, with a known SRI value."""
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "candor.min.js").write_text("/* minified tag */\n")
    (dist / "candor.min.js.map").write_text('{"version": 3}\n')
    (dist / "candor.js").write_text("/* readable tag */\n")
    (dist / "candor.min.js.sri").write_text(TEST_INTEGRITY + "\n")
    return dist


@pytest.fixture
def app(tmp_path, dist_dir):
    return create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "candor.sqlite3"),
            "SITES": TEST_SITES,
            "DIST_DIR": dist_dir,
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def stored_events(app):
    """Read back what the collector stored for a site."""

    def read(site="demo"):
        with app.app_context():
            return db.events_for_site(site)

    return read


@pytest.fixture
def stored_count(app):
    """How many events are stored across all sites."""

    def count():
        with app.app_context():
            return db.count_events()

    return count
