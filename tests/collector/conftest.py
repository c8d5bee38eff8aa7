"""Fixtures for the Flask side: an app with its own database, sites and built tag
in a temporary folder, so no test touches the repository's data or dist/."""

import time

import pytest
from wire_samples import DASHBOARD_PASSWORD, TEST_SITES, FakeClock, log_in, make_dist

from candor_server.settings import ENVIRONMENT_VARIABLES
from candor_server.storage import db
from demo_site import create_app

UNLIMITED = "1000000 per minute"  # rate limits are tested on their own (test_rate_limit.py)


@pytest.fixture(autouse=True)
def no_candor_environment(monkeypatch):
    """A developer's own CANDOR_* settings must not leak into the tests."""
    for name in ENVIRONMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def dist_dir(tmp_path):
    return make_dist(tmp_path / "dist")


@pytest.fixture
def clock():
    return FakeClock(time.time())


@pytest.fixture
def app(tmp_path, database_url, dist_dir, clock):
    """The app on the test's own database; its connection pool is closed afterwards."""
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": database_url,
            "SITES": TEST_SITES,
            "DIST_DIR": dist_dir,
            "DASHBOARD_PASSWORD": DASHBOARD_PASSWORD,
            "CLOCK": clock,
            "COLLECT_RATE_LIMIT": UNLIMITED,
        }
    )
    yield app
    with app.app_context():
        db.engine().dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def dashboard_client(client):
    """A client logged in to the dashboard, as the publisher."""
    log_in(client)
    return client


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
