"""The visitor's data as JSON for the choice element on a publisher's page: only a page the
named site allows may ask and read the answer, and it sees and deletes exactly its own id's data."""

import json
import uuid

import pytest
from wire_samples import PAGE_EVENT, TEXT_PLAIN, batch, post

pytestmark = pytest.mark.databases("sqlite", "postgresql")

PARTNER = {"Origin": "https://partner.example"}
ALICE = "a" * 32
BOB = "b" * 32


def store(client, uid, count=1):
    events = [{**PAGE_EVENT, "id": str(uuid.uuid4()), "url": f"https://partner.example/{uid[0]}{n}"}
              for n in range(count)]
    assert post(client, batch(site="partner", uid=uid, events=events), headers=PARTNER).status_code == 204


def ask(client, path, body, headers=PARTNER):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(path, data=data, content_type=TEXT_PLAIN, headers=headers)


def test_a_page_of_the_site_reads_exactly_its_visitors_data(client):
    store(client, ALICE, 2)
    store(client, BOB)
    response = ask(client, "/my-data.json", {"site": "partner", "uid": ALICE})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://partner.example"
    assert response.headers["Cache-Control"] == "no-store, private"
    events = response.json["events"]
    assert sorted(event["url"] for event in events) == ["https://partner.example/a0", "https://partner.example/a1"]
    assert {event["uid"] for event in events} == {ALICE} and response.json["retentionDays"] == 90


@pytest.mark.parametrize("headers", [{"Origin": "https://elsewhere.example"}, {}, {"Origin": "null"}])
def test_another_origin_is_refused_and_cannot_read_the_answer(client, headers):
    store(client, ALICE)
    response = ask(client, "/my-data.json", {"site": "partner", "uid": ALICE}, headers)
    assert response.status_code == 403 and "events" not in response.json
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_page_of_one_site_cannot_ask_as_another_site(client):
    store(client, ALICE)
    response = ask(client, "/my-data.json", {"site": "demo", "uid": ALICE})
    assert response.status_code == 403


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", {"site": "partner"}, {"site": "partner", "uid": ""},
                                  {"site": "partner", "uid": "x" * 65}, {"site": 5, "uid": ALICE},
                                  {"site": "nope", "uid": ALICE}, b"{" * 2000])
def test_malformed_questions_get_a_reason_never_a_500(client, body):
    response = ask(client, "/my-data.json", body)
    assert response.status_code in (400, 403) and response.json["error"]


def test_deleting_removes_exactly_the_callers_data(client):
    store(client, ALICE, 3)
    store(client, BOB)
    refused = ask(client, "/my-data/delete.json", {"site": "partner", "uid": ALICE}, {"Origin": "https://elsewhere.example"})
    assert refused.status_code == 403
    response = ask(client, "/my-data/delete.json", {"site": "partner", "uid": ALICE})
    assert response.status_code == 200 and response.json == {"deleted": 3}
    assert response.headers["Access-Control-Allow-Origin"] == "https://partner.example"
    assert ask(client, "/my-data.json", {"site": "partner", "uid": ALICE}).json["events"] == []
    assert len(ask(client, "/my-data.json", {"site": "partner", "uid": BOB}).json["events"]) == 1
