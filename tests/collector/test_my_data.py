""""My data": a visitor reads and deletes what is stored for their own
`candor_id` cookie, and nobody can reach another id's data by any other means."""

import time

import pytest
from wire_samples import BATCH, PAGE_EVENT, batch, post

pytestmark = pytest.mark.databases("sqlite", "postgresql")

MINE = BATCH["uid"]
THEIRS = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
THEIR_EVENT = {**PAGE_EVENT, "id": "6fa459ea-ee8a-3ca4-894e-db77e160355e", "url": "https://pub.example/their-secret-page",
               "title": "Their page"}


@pytest.fixture
def two_visitors(client):
    """My page view and theirs, stored through the collector."""
    assert post(client, BATCH).status_code == 204
    assert post(client, batch(uid=THEIRS, events=[THEIR_EVENT])).status_code == 204


def my_data(client, uid=None, path="/my-data", **kwargs):
    client.delete_cookie("candor_id")
    if uid is not None:
        client.set_cookie("candor_id", uid)
    return client.get(path, **kwargs)


def test_my_data_shows_what_is_stored_for_my_id(client, two_visitors):
    response = my_data(client, MINE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store, private"
    assert MINE in page and '<strong id="event-count">1 record</strong>' in page
    for shown in (PAGE_EVENT["url"], PAGE_EVENT["title"], "search (Google)", "“shoes”", "en-US", "Europe/Paris",
                  "1920×1080", "section=local", 'action="/my-data/delete"'):
        assert shown in page
    assert "their-secret-page" not in page and THEIRS not in page


def test_without_an_id_cookie_nothing_is_shown(client, two_visitors):
    page = my_data(client).get_data(as_text=True)
    assert 'id="no-id"' in page
    assert PAGE_EVENT["url"] not in page and "their-secret-page" not in page


@pytest.mark.parametrize(
    "query",
    [f"?uid={THEIRS}", f"?candor_id={THEIRS}", f"?id={THEIRS}&uid={THEIRS}"],
)
def test_query_parameters_cannot_choose_whose_data_is_shown(client, two_visitors, query):
    page = my_data(client, MINE, "/my-data" + query).get_data(as_text=True)
    assert "their-secret-page" not in page and PAGE_EVENT["url"] in page
    assert "their-secret-page" not in my_data(client, None, "/my-data" + query).get_data(as_text=True)


@pytest.mark.parametrize(
    "forged",
    ["%", "*", "' OR '1'='1", THEIRS[:-1], THEIRS.upper(), THEIRS + " ", "x" * 65, MINE + "," + THEIRS],
)
def test_forged_ids_match_nobody(client, two_visitors, forged):
    page = my_data(client, forged).get_data(as_text=True)
    assert "their-secret-page" not in page and PAGE_EVENT["url"] not in page


def test_deleting_removes_my_data_and_my_id_and_says_so(client, two_visitors, stored_events):
    client.set_cookie("candor_id", MINE)
    response = client.post("/my-data/delete", headers={"Origin": "http://localhost"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Deleted 1 record stored for the id" in page and MINE in page
    assert client.get_cookie("candor_id") is None
    assert [event["uid"] for event in stored_events()] == [THEIRS]


def test_nobody_can_delete_another_ids_data(client, two_visitors, stored_events):
    client.set_cookie("candor_id", MINE)
    client.post(f"/my-data/delete?uid={THEIRS}", data={"uid": THEIRS, "candor_id": THEIRS})
    for forged in ("%", "' OR '1'='1"):
        client.set_cookie("candor_id", forged)
        assert "there was nothing to delete" in client.post("/my-data/delete").get_data(as_text=True)
    assert [event["uid"] for event in stored_events()] == [THEIRS]


def test_deleting_without_an_id_deletes_nothing(client, two_visitors, stored_count):
    page = client.post("/my-data/delete").get_data(as_text=True)
    assert "there was nothing to delete" in page
    assert stored_count() == 2


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
     {"Origin": "null"}],
)
def test_a_foreign_page_cannot_delete_my_data(client, two_visitors, stored_count, headers):
    client.set_cookie("candor_id", MINE)
    response = client.post("/my-data/delete", headers=headers)
    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers
    assert stored_count() == 2


def test_each_record_shows_when_it_was_received(client, clock):
    assert post(client, BATCH).status_code == 204
    received = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(clock()))
    assert received in my_data(client, MINE).get_data(as_text=True)


@pytest.mark.parametrize("odd_id", ["1", "admin", "9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B", "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4",
                                    "' OR 1=1 --"])
def test_only_ids_of_the_tags_format_are_looked_up_or_deleted(app, client, odd_id):
    """Rows stored under an odd id (an older collector took any uid) stay out of reach of a cookie holding it."""
    from candor_server.storage import db
    with app.app_context():
        row = {column: None for column in db.EVENT_COLUMNS}
        db.store_events("demo", odd_id, [{**row, **THEIR_EVENT}], int(time.time() * 1000))
    page = my_data(client, odd_id).get_data(as_text=True)
    assert "their-secret-page" not in page
    client.post("/my-data/delete")
    with app.app_context():
        assert [event["uid"] for event in db.events_for_site("demo")] == [odd_id]
