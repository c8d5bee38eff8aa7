"""What every test folder shares: pytest-selenium adapted to a run that covers several
engines at once, and the real PostgreSQL and Redis servers (service_harness).

pytest-selenium's --driver picks one engine; Candor's browser tests pick engines with
CANDOR_BROWSERS (tests/browser/conftest.py). Its failure hooks expect a driver name, so an
empty one stands for "whichever engines CANDOR_BROWSERS selects".
"""

import uuid

import pytest

from service_harness.postgresql import PostgresCluster, PostgresMissing
from service_harness.redis_server import RedisMissing, RedisServer


def pytest_configure(config):
    if getattr(config.option, "driver", None) is None:
        config.option.driver = ""


def pytest_generate_tests(metafunc):
    """`pytestmark = pytest.mark.databases("sqlite", "postgresql")` runs a module's tests once
    per database; elsewhere `database_url` is a SQLite file."""
    marker = metafunc.definition.get_closest_marker("databases")
    if marker is not None and "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", marker.args, indirect=True)


@pytest.fixture(scope="session")
def postgresql_cluster():
    try:
        cluster = PostgresCluster()
    except PostgresMissing as missing:
        pytest.fail(str(missing))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def redis_server():
    try:
        server = RedisServer()
    except RedisMissing as missing:
        pytest.fail(str(missing))
    yield server
    server.stop()


@pytest.fixture
def database_url(request, tmp_path):
    """An empty database of the dialect the test is parametrised with (SQLite by default):
    a file in the test's folder, or a database of its own in the session's PostgreSQL cluster."""
    dialect = getattr(request, "param", "sqlite")
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'candor.sqlite3'}"
        return
    cluster = request.getfixturevalue("postgresql_cluster")
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield cluster.create_database(name)
    cluster.drop_database(name)
