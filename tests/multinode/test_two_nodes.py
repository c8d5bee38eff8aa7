"""Two collector nodes (gunicorn, two workers each) sharing one PostgreSQL database and one
Redis, as behind a load balancer: a bounded load over both, some batches sent to both as a
retrying client would, one node SIGKILLed mid-run and what it left unacknowledged retried on
the other. Every acknowledged event is stored exactly once, and one client address has one
rate-limit budget across both nodes."""

import http.client
import itertools
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, func, select

from candor_server.storage.tables import event
from service_harness.collector_nodes import CollectorNode, node_environment

SITE = "load"
ORIGIN = "https://load.example"
EVENTS = 900
EVENTS_PER_BATCH = 3
SENT_TO_BOTH_EVERY = 5  # every 5th batch also goes to the other node, as a retry would
KILL_AFTER_ACKNOWLEDGED = 90  # batches: about a third of the run
CLIENT_THREADS = 6
RATE_LIMIT = 100
REQUEST_TIMEOUT = 20

pytestmark = pytest.mark.timeout(300)


def batch_body(events):
    return json.dumps({"v": 1, "site": SITE, "uid": uuid.uuid4().hex, "events": [
        {"id": event_id, "type": "page", "ts": 1764400000000, "url": f"{ORIGIN}/article/{event_id}"}
        for event_id in events]}).encode()


def send(node_url, body):
    """The status the node answered, or None when it never answered (down, reset, killed)."""
    address = urlsplit(node_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("POST", "/collect", body=body,
                           headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": ORIGIN})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


@pytest.fixture
def shared_database(postgresql_cluster):
    name = f"multinode_{uuid.uuid4().hex[:12]}"
    yield postgresql_cluster.create_database(name)
    postgresql_cluster.drop_database(name)


@pytest.fixture
def start_nodes(tmp_path, shared_database, redis_server):
    """Start two nodes on the shared database and Redis with a collect rate limit; all are stopped after."""
    nodes = []

    def start(rate_limit):
        for name in ("a", "b"):
            environment = node_environment(
                tmp_path / f"{name}-{len(nodes)}", {SITE: {"origins": [ORIGIN]}}, DATABASE_URL=shared_database,
                RATE_LIMIT_STORAGE=redis_server.url, COLLECT_RATE_LIMIT=rate_limit)
            nodes.append(CollectorNode(environment))
        return nodes[-2:]

    yield start
    for node in nodes:
        node.stop()


def stored_counts(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(select(event.c.id, func.count()).group_by(event.c.id)).all())
    finally:
        engine.dispose()


def test_every_acknowledged_event_is_stored_once_when_a_node_dies_mid_run(start_nodes, shared_database):
    first, second = start_nodes("1000000 per minute")
    ids = [str(uuid.uuid4()) for _ in range(EVENTS)]
    batches = [ids[start:start + EVENTS_PER_BATCH] for start in range(0, EVENTS, EVENTS_PER_BATCH)]
    acknowledged, retried_after_kill, lock = set(), [], threading.Lock()
    killed = threading.Event()
    acknowledged_batches = itertools.count(1)

    def deliver(number_and_batch):
        number, batch = number_and_batch
        body = batch_body(batch)
        nodes = [first, second] if number % 2 == 0 else [second, first]
        if number % SENT_TO_BOTH_EVERY == 0 and not killed.is_set():
            send(nodes[1].url, body)
        status = send(nodes[0].url, body)
        if status is None and nodes[0] is first and killed.is_set():
            status = send(second.url, body)
            with lock:
                retried_after_kill.append(number)
        if status is None and not killed.is_set():
            status = send(nodes[0].url, body)
        assert status == 204, f"batch {number}: {status}"
        with lock:
            acknowledged.update(batch)
        if next(acknowledged_batches) == KILL_AFTER_ACKNOWLEDGED:
            first.kill()
            killed.set()

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        list(pool.map(deliver, enumerate(batches)))

    stored = stored_counts(shared_database)
    assert killed.is_set() and first.process.poll() is not None
    assert acknowledged == set(ids)
    assert {event_id: count for event_id, count in stored.items() if count != 1} == {}
    assert set(stored) == acknowledged
    assert retried_after_kill, "no batch was left unacknowledged by the killed node: nothing was retried"


def test_one_address_has_one_rate_limit_budget_across_both_nodes(start_nodes):
    first, second = start_nodes(f"{RATE_LIMIT} per minute")
    bodies = [batch_body([str(uuid.uuid4())]) for _ in range(2 * RATE_LIMIT)]

    def deliver(number_and_body):
        number, body = number_and_body
        return send((first, second)[number % 2].url, body)

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(deliver, enumerate(bodies)))
    accepted = statuses.count(204)
    assert statuses.count(204) + statuses.count(429) == len(bodies)
    assert abs(accepted - RATE_LIMIT) <= RATE_LIMIT // 10, f"{accepted} accepted for a budget of {RATE_LIMIT}"
