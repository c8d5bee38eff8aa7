"""Settings from the environment, schema creation, and the init-db command."""

import json
import sqlite3
from pathlib import Path

import pytest
from wire_samples import BATCH

from candor_server import settings
from demo_site import create_app


def table_names(database):
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def test_the_schema_is_created_when_the_app_starts(app):
    assert "event" in table_names(app.config["DATABASE"])


def test_init_db_creates_the_schema_and_keeps_existing_data(app, runner, client, stored_count):
    Path(app.config["DATABASE"]).unlink()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert f"Initialized the database at {app.config['DATABASE']}" in result.output
    assert "event" in table_names(app.config["DATABASE"])

    client.post("/collect", json=BATCH)
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert stored_count() == 1


def test_defaults_keep_data_in_the_instance_folder_and_have_no_sites():
    config = settings.from_environment({}, "/srv/instance")
    assert config["DATABASE"] == "/srv/instance/candor.sqlite3"
    assert config["SITES"] is None
    assert config["DIST_DIR"] == Path(settings.__file__).resolve().parent.parent / "dist"


def test_the_demo_accepts_only_its_own_site_by_default(tmp_path):
    app = create_app({"DATABASE": str(tmp_path / "db.sqlite3")})
    assert app.config["SITES"] == {"demo": {"origins": ["self"]}}


def test_the_data_dir_is_taken_from_the_environment_and_created(tmp_path, monkeypatch):
    data_dir = tmp_path / "data" / "candor"
    monkeypatch.setenv("CANDOR_DATA_DIR", str(data_dir))
    app = create_app()
    assert app.config["DATABASE"] == str(data_dir / "candor.sqlite3")
    assert "event" in table_names(app.config["DATABASE"])


def test_a_database_url_wins_over_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CANDOR_DATA_DIR", str(tmp_path / "unused"))
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path}/elsewhere.sqlite3")
    app = create_app()
    assert app.config["DATABASE"] == f"{tmp_path}/elsewhere.sqlite3"
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize("url", ["postgresql://db/candor", "sqlite:///"])
def test_a_database_url_that_is_not_a_sqlite_file_is_refused(monkeypatch, url):
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    with pytest.raises(ValueError, match="sqlite:///path"):
        create_app()


def test_sites_are_read_from_the_sites_file(tmp_path, monkeypatch):
    sites_file = tmp_path / "sites.json"
    sites_file.write_text(json.dumps({"news": {"origins": ["https://news.example"]}}))
    monkeypatch.setenv("CANDOR_SITES", str(sites_file))
    app = create_app({"DATABASE": str(tmp_path / "db.sqlite3")})
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
        create_app({"DATABASE": str(tmp_path / "db.sqlite3"), "SITES": sites})


def test_a_sites_file_that_is_not_json_stops_start_up(tmp_path, monkeypatch):
    sites_file = tmp_path / "sites.json"
    sites_file.write_text("demo: self")
    monkeypatch.setenv("CANDOR_SITES", str(sites_file))
    with pytest.raises(ValueError, match="is not JSON"):
        create_app({"DATABASE": str(tmp_path / "db.sqlite3")})


def test_a_database_from_before_session_data_gains_the_new_columns(tmp_path, dist_dir):
    database = tmp_path / "old.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE event (id TEXT PRIMARY KEY, site TEXT NOT NULL, uid TEXT NOT NULL, type TEXT NOT NULL,"
            " ts INTEGER NOT NULL, url TEXT NOT NULL, ref TEXT, title TEXT, lang TEXT, tz TEXT, sw INTEGER,"
            " sh INTEGER, name TEXT, attrs TEXT, props TEXT, hosts TEXT, received_at INTEGER NOT NULL)")
    app = create_app({"DATABASE": str(database), "DIST_DIR": dist_dir, "DASHBOARD_PASSWORD": "x"})
    assert app.test_client().post("/collect", json=BATCH).status_code == 204
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT ref_type, ref_source, browser FROM event").fetchall() == [
            ("search", "Google", "Other")]
