"""Settings from the environment, schema migrations, and the init-db command."""

import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect
from wire_samples import BATCH

from candor_server import settings
from candor_server.storage import connections, db, migrations
from demo_site import create_app


def table_names(sqlite_file):
    engine = create_engine(f"sqlite:///{sqlite_file}")
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def schema_revision(app):
    with app.app_context(), db.engine().connect() as connection:
        return migrations.current_revision(connection)


def test_the_schema_is_migrated_to_the_newest_revision_when_the_app_starts(app):
    assert schema_revision(app) == migrations.head_revision()
    assert {"event", "said_no_daily", "invited_domain", "csp_violation", "visit", "goal", "api_token"} <= table_names(
        Path(app.config["DATA_DIR"]) / "candor.sqlite3")


def test_init_db_applies_missing_migrations_and_keeps_existing_data(app, runner, client, stored_count):
    with app.app_context(), db.engine().connect() as connection:
        command.downgrade(migrations.alembic_config(connection), "base")
        connection.commit()
    assert schema_revision(app) is None
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert result.output == f"Database {db_url(app)} is at schema revision {migrations.head_revision()}.\n"
    assert schema_revision(app) == migrations.head_revision()

    assert client.post("/collect", json=BATCH).status_code == 204
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert stored_count() == 1


def db_url(app):
    with app.app_context():
        return db.engine().url.render_as_string(hide_password=True)


def test_defaults_keep_data_in_the_instance_folder_and_have_no_sites():
    config = settings.from_environment({}, "/srv/instance")
    assert str(connections.database_url(config)) == "sqlite:////srv/instance/candor.sqlite3"
    assert config["SITES"] is None
    assert config["DIST_DIR"] == Path(settings.__file__).resolve().parent.parent / "dist"


def test_the_demo_accepts_only_its_own_site_by_default(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path)})
    assert app.config["SITES"] == {"demo": {"origins": ["self"]}}


def test_the_data_dir_is_taken_from_the_environment_and_created(tmp_path, monkeypatch):
    data_dir = tmp_path / "data" / "candor"
    monkeypatch.setenv("CANDOR_DATA_DIR", str(data_dir))
    create_app()
    assert "event" in table_names(data_dir / "candor.sqlite3")


def test_a_database_url_wins_over_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CANDOR_DATA_DIR", str(tmp_path / "unused"))
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path}/elsewhere.sqlite3")
    create_app({"DATA_DIR": str(tmp_path / "secrets")})
    assert "event" in table_names(tmp_path / "elsewhere.sqlite3")
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize("url", ["postgresql://candor@db.example/candor", "postgres://db.example/candor",
                                 "postgresql+psycopg://db.example/candor"])
def test_a_postgresql_url_is_served_by_psycopg(url):
    assert connections.database_url({"DATABASE_URL": url}).drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["mysql://db/candor", "sqlite:///", "sqlite://", "sqlite:///:memory:", "candor"])
def test_a_database_url_that_is_neither_a_sqlite_file_nor_postgresql_is_refused(tmp_path, monkeypatch, url):
    monkeypatch.setenv("CANDOR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    with pytest.raises(settings.SettingsError, match="sqlite:///path/to/file.sqlite3 or postgresql://"):
        create_app()


def test_sites_are_read_from_the_sites_file(tmp_path, monkeypatch):
    sites_file = tmp_path / "sites.json"
    sites_file.write_text(json.dumps({"news": {"origins": ["https://news.example"]}}))
    monkeypatch.setenv("CANDOR_SITES", str(sites_file))
    app = create_app({"DATA_DIR": str(tmp_path)})
    assert app.config["SITES"] == {"news": {"origins": ["https://news.example"]}}


@pytest.mark.parametrize(
    "sites",
    [
        [],
        {"demo": ["self"]},
        {"demo": {"origins": "self"}},
        {"demo": {"origins": [1]}},
        {"": {"origins": []}},
    ],
)
def test_malformed_sites_stop_start_up(tmp_path, sites):
    with pytest.raises(ValueError):
        create_app({"DATA_DIR": str(tmp_path), "SITES": sites})


def test_a_sites_file_that_is_not_json_stops_start_up(tmp_path, monkeypatch):
    sites_file = tmp_path / "sites.json"
    sites_file.write_text("demo: self")
    monkeypatch.setenv("CANDOR_SITES", str(sites_file))
    with pytest.raises(ValueError, match="is not JSON"):
        create_app({"DATA_DIR": str(tmp_path)})


def test_a_database_from_before_session_data_gains_the_new_columns(tmp_path, dist_dir):
    database = tmp_path / "old.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE event (id TEXT PRIMARY KEY, site TEXT NOT NULL, uid TEXT NOT NULL, type TEXT NOT NULL,"
            " ts INTEGER NOT NULL, url TEXT NOT NULL, ref TEXT, title TEXT, lang TEXT, tz TEXT, sw INTEGER,"
            " sh INTEGER, name TEXT, attrs TEXT, props TEXT, hosts TEXT, received_at INTEGER NOT NULL)")
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "DATA_DIR": str(tmp_path), "DIST_DIR": dist_dir,
                      "DASHBOARD_PASSWORD": "x"})
    assert app.test_client().post("/collect", json=BATCH).status_code == 204
    with app.app_context():
        [stored] = db.events_for_site("demo")
    assert (stored["ref_type"], stored["ref_source"], stored["browser"]) == ("search", "Google", "Other")


def test_page_views_can_only_be_counted_by_known_columns(app):
    with app.app_context(), pytest.raises(ValueError, match="cannot count page views by 'uid'"):
        db.page_view_counts("demo", 0, "uid", 10)


def test_the_migrations_form_one_line_of_revisions():
    """Two branches that each add a revision after the same one leave two heads, and then no
    server starts: each new revision must follow the newest on main."""
    from alembic.script import ScriptDirectory
    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert len(script.get_heads()) == 1, f"several newest revisions: {script.get_heads()}"


def test_the_said_no_totals_from_before_sites_were_counted_carry_over(app, client):
    with app.app_context(), db.engine().connect() as connection:
        command.downgrade(migrations.alembic_config(connection), "0001_initial")
        connection.exec_driver_sql("INSERT INTO optout_daily (day, reason, count) VALUES ('2026-11-01', 'gpc', 7)")
        connection.commit()
        command.upgrade(migrations.alembic_config(connection), "head")
        connection.commit()
        rows = connection.exec_driver_sql("SELECT day, site, reason, count FROM said_no_daily").all()
    assert rows == [("2026-11-01", "", "gpc", 7)]
    assert client.post("/collect", json=BATCH).status_code == 204
