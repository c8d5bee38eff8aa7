"""Cookieless mode at the collector (CONTRACT.md §3, §4): `uid: null` is counted under a daily
visitor hash whose salt rotates daily and is shared by every node through the database."""

import uuid

import pytest
from wire_samples import FIREFOX, PAGE_EVENT, batch, post

from candor_server.collector.daily_visitors import DAILY_PREFIX, daily_visitor_id
from candor_server.storage import db
from candor_server.storage.tables import metadata
from demo_site import create_app

pytestmark = pytest.mark.databases("sqlite", "postgresql")

ADDRESS = "203.0.113.77"
AGENT = FIREFOX + " CandorProbe/4242"
NOON_UTC = 1_764_417_600  # 2025-11-29 12:00 UTC: an hour later is the same day


def cookieless_batch(site="demo"):
    return batch(site=site, uid=None, events=[{**PAGE_EVENT, "id": str(uuid.uuid4())}])


def send(client, address=ADDRESS, agent=AGENT, site="demo"):
    response = post(client, cookieless_batch(site), headers={"User-Agent": agent},
                    environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 204
    return response


def stored_uids(stored_events):
    return [event["uid"] for event in stored_events()]


def test_a_cookieless_batch_is_stored_under_a_daily_visitor_hash(client, stored_events):
    send(client)
    [uid] = stored_uids(stored_events)
    assert uid.startswith(DAILY_PREFIX) and len(uid) == len(DAILY_PREFIX) + 32
    int(uid[len(DAILY_PREFIX):], 16)


def test_the_same_browser_is_one_visitor_all_day_and_others_are_not(client, stored_events, clock):
    clock.seconds = NOON_UTC
    send(client)
    clock.advance(seconds=3600)
    send(client)
    clock.advance(seconds=1)  # stored events are read back in the order they were received
    send(client, address="203.0.113.78")
    clock.advance(seconds=1)
    send(client, agent=FIREFOX)
    first, again, other_address, other_agent = stored_uids(stored_events)
    assert first == again
    assert len({first, other_address, other_agent}) == 3


def test_the_hash_changes_with_the_day_and_the_old_salt_is_deleted(app, client, stored_events, clock):
    send(client)
    [first_day] = salt_days(app)
    clock.advance(days=1)
    send(client)
    yesterday, today = stored_uids(stored_events)
    assert yesterday != today
    [second_day] = salt_days(app)
    assert second_day > first_day


def test_the_first_beacon_of_a_new_day_deletes_the_salt_of_the_day_before(app, client, clock):
    """Before the daily purge is due: the salt goes as soon as any node makes the next one."""
    clock.seconds = NOON_UTC + 11 * 3600
    send(client)
    clock.advance(seconds=2 * 3600)
    send(client)
    assert salt_days(app) == ["2025-11-30"]


def test_the_daily_purge_deletes_a_finished_days_salt_without_any_beacon(app, client, runner, clock):
    send(client)
    clock.advance(days=1)
    assert runner.invoke(args=["purge"]).exit_code == 0
    assert salt_days(app) == []


def test_every_node_sharing_the_database_computes_the_same_hash(app, client, stored_events):
    shared = {key: app.config[key] for key in ("DATA_DIR", "DATABASE_URL", "SITES", "DIST_DIR", "CLOCK",
                                               "COLLECT_RATE_LIMIT")}
    other_node = create_app({"TESTING": True, **shared})
    send(client)
    send(other_node.test_client())
    first, second = stored_uids(stored_events)
    assert first == second


def test_neither_the_address_nor_the_user_agent_is_stored(app, client, stored_events):
    send(client)
    assert stored_events()[0]["browser"] == "Firefox"
    stored = everything_stored(app)
    assert ADDRESS not in stored and "CandorProbe" not in stored
    assert "Firefox" in stored, "the search does read what was stored"


def test_the_hash_depends_on_the_salt():
    arguments = ("demo", AGENT, ADDRESS)
    assert daily_visitor_id(b"a" * 32, *arguments) != daily_visitor_id(b"b" * 32, *arguments)
    assert daily_visitor_id(b"a" * 32, *arguments) == daily_visitor_id(b"a" * 32, *arguments)


def test_a_cookieless_visitor_has_nothing_on_my_data(client):
    send(client)
    page = client.get("/my-data").get_data(as_text=True)
    assert 'id="cookieless"' in page and "cannot be linked" in page


@pytest.mark.parametrize("uid", ["", 7, "x" * 65])
def test_a_uid_is_a_string_or_null(client, stored_events, uid):
    assert post(client, batch(uid=uid)).status_code == 400
    assert stored_events() == []


def everything_stored(app):
    """Every row of every table, as text."""
    with app.app_context(), db.engine().connect() as connection:
        return repr([connection.execute(table.select()).all() for table in metadata.sorted_tables])


def salt_days(app):
    with app.app_context():
        return db.salt_days()


def test_the_dashboard_says_cookieless_visitors_are_daily(dashboard_client):
    page = dashboard_client.get("/dashboard?site=demo").get_data(as_text=True)
    assert 'id="cookieless-note"' in page
    assert "the sum of daily visitors" in page
