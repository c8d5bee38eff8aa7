"""The lean /collect path (candor_server/collector/beacon_path.py): beacons and pixels are
answered before Flask's request machinery, with the headers a Flask view had, and the
collector's own fixed-window budget counts exactly as flask-limiter did."""
import json
from urllib.parse import quote

from wire_samples import BATCH, post

from candor_server.collector.beacon_budget import BeaconBudget
from candor_server.storage import db
from candor_server.web.security_headers import SECURITY_HEADERS


def test_beacons_and_pixels_never_enter_flask_and_are_stored(app, client):
    entered = []
    app.before_request(lambda: entered.append(1))
    assert post(client, BATCH).status_code == 204
    other = {**BATCH, "events": [{**BATCH["events"][0], "id": "0b6f1c2a-9e8b-4d6c-8f4e-3d2c1b0a9988"}]}
    assert client.get("/collect?d=" + quote(json.dumps(other)), headers={"Referer": "http://localhost/a"}).status_code == 204
    assert entered == []
    with app.app_context():
        assert db.count_events() == 2
    client.get("/my-data")
    assert entered == [1]


def test_every_answer_carries_no_store_the_security_headers_and_the_rate_limit(client):
    for answer in (post(client, BATCH), post(client, b"not json")):
        assert answer.headers["Cache-Control"] == "no-store"
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers[name] == value
        assert int(answer.headers["X-RateLimit-Limit"]) == 1_000_000
        assert int(answer.headers["X-RateLimit-Remaining"]) < 1_000_000
    refused = post(client, b"not json")
    assert refused.status_code == 400 and refused.headers["Content-Type"] == "application/json"
    assert refused.json["error"]


def test_an_allowed_origin_is_echoed_with_vary(client):
    answer = post(client, BATCH, headers={"Origin": "http://localhost"})
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == "http://localhost"
    assert answer.headers["Vary"] == "Origin"


def test_other_methods_on_collect_go_to_flask(client):
    assert client.put("/collect", data=b"{}").status_code in (404, 405)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_budget_is_a_fixed_window_per_address_opened_by_its_first_request():
    clock = Clock()
    budget = BeaconBudget(clock=clock)
    assert [budget.hit("2 per minute", "a")[1] for _ in range(2)] == [None, None]
    headers, exceeded = budget.hit("2 per minute", "a")
    assert str(exceeded) == "2 per 1 minute"
    assert dict(headers)["Retry-After"] == "60" and dict(headers)["X-RateLimit-Remaining"] == "0"
    assert budget.hit("2 per minute", "b")[1] is None
    clock.now += 59.9
    assert budget.hit("2 per minute", "a")[1] is not None
    clock.now += 0.1
    assert budget.hit("2 per minute", "a")[1] is None


def test_with_several_limits_the_first_exceeded_is_named():
    budget = BeaconBudget(clock=Clock())
    assert budget.hit("5 per minute; 1 per second", "a")[1] is None
    assert str(budget.hit("5 per minute; 1 per second", "a")[1]) == "1 per 1 second"


def test_while_redis_is_unreachable_each_process_counts_alone():
    budget = BeaconBudget("redis://127.0.0.1:9/0", clock=Clock())
    assert [budget.hit("2 per minute", "a")[1] is None for _ in range(3)] == [True, True, False]
