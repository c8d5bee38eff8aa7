"""Rate limits hold across gunicorn's worker processes with the default storage: two sync
workers, each request on a new connection (so both workers serve them), and no more get
through than the limit allows."""

import http.client
import json

import pytest

from bench.collector_load import ORIGIN, Gunicorn, collector_environment

BEACON = json.dumps({"v": 1, "site": "bench", "uid": "4f1c2a9e8b7d6c5f4e3d2c1b0a998877", "events": [
    {"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "type": "page", "ts": 1, "url": ORIGIN + "/"}]})


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    environment = {**collector_environment(tmp_path_factory.mktemp("workers")),
                   "CANDOR_COLLECT_RATE_LIMIT": "20 per minute", "CANDOR_DASHBOARD_PASSWORD": "rate limit test"}
    server = Gunicorn("candor_server:create_app()", 2, environment)
    yield server
    server.stop()


def statuses(port, path, body, headers, count):
    """`count` POSTs, each on its own connection; returns their statuses."""
    answers = []
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", path, body=body, headers=headers)
        answers.append(connection.getresponse().status)
        connection.close()
    return answers


def test_beacons_over_the_limit_are_refused_whichever_worker_serves_them(two_workers):
    answers = statuses(two_workers.port, "/collect", BEACON, {"Content-Type": "text/plain", "Origin": ORIGIN}, 60)
    assert answers.count(204) == 20 and answers.count(429) == 40


def test_password_guesses_over_the_limit_are_refused_whichever_worker_serves_them(two_workers):
    answers = statuses(two_workers.port, "/dashboard/login", "password=wrong",
                       {"Content-Type": "application/x-www-form-urlencoded"}, 30)
    assert answers.count(401) == 10 and answers.count(429) == 20
