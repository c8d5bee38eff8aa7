"""What only PostgreSQL does: the event table partitioned by UTC day of receipt (partitions a
week ahead, a purge drops whole days, a row no day covers lands in the default partition), a
database restart answered 503 once, and a forked worker that never shares its parent's
connections; plus the migration that introduced the partitions, on both dialects."""

import os
import uuid

import pytest
from alembic import command
from sqlalchemy import text
from wire_samples import BATCH, TEST_SITES, batch_with_event, post

from candor_server.storage import db, migrations, partitions
from candor_server.storage.tables import event, event_id
from demo_site import create_app

DAY_MS = partitions.DAY_MS
NOON_UTC = 1_795_953_600  # 2026-11-29 12:00 UTC


def day_partitions(app):
    with app.app_context(), db.engine().connect() as connection:
        return partitions.day_partitions(connection)


def rows_in(app, table_name):
    with app.app_context(), db.engine().connect() as connection:
        return connection.scalar(text(f"SELECT COUNT(*) FROM {table_name}"))


@pytest.fixture
def database_url(request, postgresql_cluster):
    name = f"test_{uuid.uuid4().hex[:16]}"
    yield postgresql_cluster.create_database(name)
    postgresql_cluster.drop_database(name)


@pytest.fixture
def clock(clock):
    clock.seconds = NOON_UTC
    return clock


def test_partitions_exist_for_today_and_the_coming_week(app):
    today = NOON_UTC * 1000 - NOON_UTC * 1000 % DAY_MS
    assert day_partitions(app) == {
        partitions.partition_name(today + offset * DAY_MS): today + offset * DAY_MS for offset in range(8)}
    assert "event_20261129" in day_partitions(app)


def test_an_event_is_stored_in_the_partition_of_its_day_of_receipt(app, client):
    assert post(client, BATCH).status_code == 204
    assert (rows_in(app, "event_20261129"), rows_in(app, "event_default")) == (1, 0)


def test_the_purge_drops_the_days_past_90_days_as_whole_partitions(app, client, runner, clock):
    assert post(client, BATCH).status_code == 204
    clock.advance(days=91)
    assert runner.invoke(args=["purge"]).output.startswith("Deleted 1 events, ")
    assert "event_20261129" not in day_partitions(app)
    assert partitions.partition_name(clock() * 1000 + 7 * DAY_MS) in day_partitions(app)
    assert rows_in(app, "event_id") == 0


def test_an_event_on_a_day_without_partition_lands_in_the_default_one_and_is_purged_too(app, client, runner, clock):
    clock.advance(days=-30)
    assert post(client, BATCH).status_code == 204
    assert rows_in(app, "event_default") == 1
    clock.advance(days=30 + 91)
    assert runner.invoke(args=["purge"]).output.startswith("Deleted 1 events, ")
    assert rows_in(app, "event_default") == 0


def test_a_retried_id_is_refused_across_partitions(app, client, clock, stored_count):
    assert post(client, BATCH).status_code == 204
    clock.advance(days=1)
    assert post(client, BATCH).status_code == 204
    assert post(client, batch_with_event(id=str(uuid.uuid4()))).status_code == 204
    assert stored_count() == 2


@pytest.mark.parametrize("dialect_url", ["sqlite", "postgresql"])
def test_upgrading_from_the_first_revision_keeps_events_and_claims_their_ids(
        request, tmp_path, dist_dir, dialect_url, postgresql_cluster, clock):
    if dialect_url == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        name = f"test_{uuid.uuid4().hex[:16]}"
        url = postgresql_cluster.create_database(name)
        request.addfinalizer(lambda: postgresql_cluster.drop_database(name))
    app = create_app({"DATA_DIR": str(tmp_path), "DATABASE_URL": url, "DIST_DIR": dist_dir, "SITES": TEST_SITES,
                      "DASHBOARD_PASSWORD": "x", "CLOCK": clock})
    with app.app_context(), db.engine().connect() as connection:
        command.downgrade(migrations.alembic_config(connection), "0001_initial")
        connection.execute(event.insert(), [
            {"id": f"old-{day}", "site": "demo", "uid": BATCH["uid"], "type": "page", "ts": 1, "url": "https://a/",
             "received_at": NOON_UTC * 1000 - day * DAY_MS} for day in (3, 2)])
        connection.commit()
    with app.app_context():
        assert db.init_db() == migrations.head_revision()
        assert sorted(e["id"] for e in db.events_for_site("demo")) == ["old-2", "old-3"]
        with db.engine().connect() as connection:
            assert sorted(connection.scalars(event_id.select().with_only_columns(event_id.c.id))) == ["old-2", "old-3"]
    if dialect_url == "postgresql":
        assert {"event_20261126", "event_20261127"} <= set(day_partitions(app))
    with app.app_context():
        db.engine().dispose()


def test_a_database_restart_costs_one_503_with_a_reason_then_beacons_are_stored_again(
        app, client, postgresql_cluster, stored_count):
    assert post(client, BATCH).status_code == 204
    postgresql_cluster.restart()
    refused = post(client, batch_with_event(id=str(uuid.uuid4())))
    assert (refused.status_code, refused.json) == (503, {"error": "storage unavailable: retry later"})
    assert post(client, batch_with_event(id=str(uuid.uuid4()))).status_code == 204
    assert stored_count() == 2


def test_a_forked_worker_opens_its_own_connections_instead_of_sharing_the_parents(app, client, stored_count):
    assert post(client, BATCH).status_code == 204
    with app.app_context():
        assert db.engine().pool.checkedin() >= 1
    child = os.fork()
    if child == 0:
        with app.app_context():
            inherited = db.engine().pool.checkedin()
            stored = post(client, batch_with_event(id=str(uuid.uuid4()))).status_code
        os._exit(0 if (inherited, stored) == (0, 204) else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert post(client, batch_with_event(id=str(uuid.uuid4()))).status_code == 204
    assert stored_count() == 3
