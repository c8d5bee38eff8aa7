"""flask-limiter in front of the collector and the dashboard log-in: a low limit
set by a test is hit, answered 429 with a reason, and kept per client address."""

import re

import pytest
from wire_samples import BATCH, DASHBOARD_PASSWORD, TEST_SITES, log_in, post

from demo_site import create_app


@pytest.fixture
def limited_app(tmp_path, dist_dir):
    return create_app({
        "TESTING": True,
        "DATA_DIR": str(tmp_path),
        "SITES": TEST_SITES,
        "DIST_DIR": dist_dir,
        "DASHBOARD_PASSWORD": DASHBOARD_PASSWORD,
        "COLLECT_RATE_LIMIT": "3 per minute",
    })


def from_address(address):
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_the_collector_answers_429_with_a_reason_over_the_limit(limited_app):
    client = limited_app.test_client()
    assert [post(client, BATCH, **from_address("198.51.100.1")).status_code for _ in range(3)] == [204] * 3
    refused = post(client, BATCH, **from_address("198.51.100.1"))
    assert refused.status_code == 429
    assert refused.json == {"error": "rate limited: more than 3 per 1 minute from this address"}
    assert int(refused.headers["Retry-After"]) > 0


def test_the_limit_is_per_address(limited_app):
    client = limited_app.test_client()
    for _ in range(4):
        post(client, BATCH, **from_address("198.51.100.1"))
    assert post(client, BATCH, **from_address("198.51.100.2")).status_code == 204


def test_the_pixel_and_refused_beacons_count_against_the_same_limit(limited_app):
    client = limited_app.test_client()
    post(client, b"not json", **from_address("198.51.100.3"))
    post(client, BATCH, headers={"DNT": "1"}, **from_address("198.51.100.3"))
    client.get("/collect", **from_address("198.51.100.3"))
    assert post(client, BATCH, **from_address("198.51.100.3")).status_code == 429


def test_pages_are_not_limited_by_the_collector_limit(limited_app):
    client = limited_app.test_client()
    for _ in range(4):
        post(client, BATCH)
    assert client.get("/optout").status_code == 200


def test_password_guessing_is_limited(limited_app):
    client = limited_app.test_client()
    answers = [client.post("/dashboard/login", data={"password": f"guess {n}"}).status_code for n in range(11)]
    assert answers == [401] * 10 + [429]


def test_the_limit_comes_from_the_environment(tmp_path, dist_dir, monkeypatch):
    monkeypatch.setenv("CANDOR_COLLECT_RATE_LIMIT", "1 per hour")
    app = create_app({"DATA_DIR": str(tmp_path), "DIST_DIR": dist_dir, "SITES": TEST_SITES})
    client = app.test_client()
    assert post(client, BATCH).status_code == 204
    assert post(client, BATCH).json["error"] == "rate limited: more than 1 per 1 hour from this address"


def test_the_stats_api_is_limited_per_token(tmp_path, dist_dir):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SITES": TEST_SITES,
                      "DIST_DIR": dist_dir, "DASHBOARD_PASSWORD": DASHBOARD_PASSWORD, "API_RATE_LIMIT": "2 per minute"})
    client = app.test_client()
    log_in(client)
    tokens = [re.search(r'id="new-token">([^<]+)<', client.post("/dashboard/tokens?site=demo", data={"name": name})
                        .get_data(as_text=True)).group(1) for name in ("first", "second")]

    def ask(token, address="198.51.100.1"):
        return client.get("/api/v1/stats/aggregate?site_id=demo", headers={"Authorization": f"Bearer {token}"},
                          **from_address(address))

    assert [ask(tokens[0]).status_code for _ in range(2)] == [200, 200]
    refused = ask(tokens[0], "198.51.100.9")
    assert refused.status_code == 429
    assert refused.json == {"error": "rate limited: more than 2 per 1 minute for this token"}
    assert ask(tokens[1]).status_code == 200
def node(tmp_path, dist_dir, storage, name):
    """One of several servers (own data folder, own process memory) counting in `storage`."""
    return create_app({
        "TESTING": True, "DATA_DIR": str(tmp_path / name), "SITES": TEST_SITES, "DIST_DIR": dist_dir,
        "DASHBOARD_PASSWORD": DASHBOARD_PASSWORD, "COLLECT_RATE_LIMIT": "3 per minute",
        "RATE_LIMIT_STORAGE": storage,
    }).test_client()


@pytest.fixture
def redis_url(redis_server):
    """The session's redis-server, emptied: each test counts from zero."""
    import redis
    with redis.Redis.from_url(redis_server.url) as connection:
        connection.flushall()
    return redis_server.url


def test_with_redis_one_address_has_one_budget_across_servers(tmp_path, dist_dir, redis_url):
    first, second = (node(tmp_path, dist_dir, redis_url, name) for name in ("a", "b"))
    answers = [post(client, BATCH, **from_address("198.51.100.1")).status_code
               for client in (first, second, first, second)]
    assert answers == [204, 204, 204, 429]
    assert post(first, BATCH, **from_address("198.51.100.2")).status_code == 204


def test_in_memory_each_server_counts_alone(tmp_path, dist_dir):
    first, second = (node(tmp_path, dist_dir, "memory://", name) for name in ("a", "b"))
    answers = [post(client, BATCH, **from_address("198.51.100.1")).status_code
               for client in (first, second, first, second)]
    assert answers == [204] * 4


def test_the_storage_is_taken_from_the_environment_and_checked(tmp_path, monkeypatch):
    from candor_server.settings import SettingsError, from_environment
    assert from_environment({"CANDOR_RATE_LIMIT_STORAGE": "redis://cache:6379/1"}, "/srv")[
        "RATE_LIMIT_STORAGE"] == "redis://cache:6379/1"
    assert from_environment({}, "/srv")["RATE_LIMIT_STORAGE"] is None  # the SQLite file every worker shares
    with pytest.raises(SettingsError, match="CANDOR_RATE_LIMIT_STORAGE must start with"):
        from_environment({"CANDOR_RATE_LIMIT_STORAGE": "memcached://cache:11211"}, "/srv")
