"""Property-based fuzz of the collector (hypothesis): thousands of generated
bodies, headers and sizes. Whatever arrives, the answer is never a 5xx, and a
body the wire format refuses never stores anything.

The app is built once per test (not per example) and each example compares the
stored count before and after, so the database grows only with valid beacons.
"""

import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from wire_samples import BATCH, TEST_SITES

from candor_server.collector import wire
from candor_server.collector.beacons import MAX_BODY_BYTES
from candor_server.storage import db
from demo_site import create_app

FUZZ = settings(max_examples=1000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
plain_text = st.text(max_size=60)
flat_maps = st.dictionaries(st.text(min_size=1, max_size=10),
                            st.none() | st.booleans() | st.integers(-10, 10**6) | plain_text, max_size=4)
valid_events = st.fixed_dictionaries(
    {"id": st.uuids().map(str), "type": st.just("page"), "ts": st.integers(0, 2**53 - 1), "url": plain_text},
    optional={"ref": st.none() | plain_text, "title": plain_text, "lang": st.text(max_size=35),
              "tz": st.text(max_size=64), "sw": st.integers(0, 10_000), "sh": st.integers(0, 10_000),
              "attrs": flat_maps},
)


@st.composite
def mutated(draw, valid):
    """A valid value with one field replaced by any JSON value, or removed."""
    value = dict(draw(valid))
    field = draw(st.sampled_from(sorted(value) + ["extra"]))
    if draw(st.booleans()) and field in value:
        del value[field]
    else:
        value[field] = draw(json_values)
    return value


events = valid_events | mutated(valid_events) | json_values
valid_batches = st.fixed_dictionaries({
    "v": st.just(1),
    "site": st.sampled_from(["demo", "partner", "unknown"]),
    "uid": st.text(min_size=1, max_size=64),
    "events": st.lists(events, min_size=1, max_size=5),
})
batches = valid_batches | mutated(valid_batches) | json_values
headers = st.fixed_dictionaries(
    {},
    optional={
        "Content-Type": st.sampled_from(["text/plain;charset=UTF-8", "application/json", "text/html", "",
                                         "multipart/form-data; boundary=x"]) | header_text,
        "Origin": st.sampled_from(["http://localhost", "https://evil.example", "https://partner.example", "null"])
        | header_text,
        "DNT": st.sampled_from(["1", "0", " 1 ", ""]) | header_text,
        "Sec-GPC": st.sampled_from(["1", "0"]) | header_text,
        "Cookie": st.sampled_from(["candor_optout=1", "candor_id=x", "candor_optout"]) | header_text,
        "User-Agent": header_text,
        "Sec-Fetch-Site": st.sampled_from(["same-origin", "cross-site"]),
    },
)


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz")
    return create_app({"TESTING": True, "DATA_DIR": str(data), "SITES": TEST_SITES,
                       "DIST_DIR": data, "DASHBOARD_PASSWORD": "fuzz", "COLLECT_RATE_LIMIT": "1000000 per minute"})


def stored(app):
    with app.app_context():
        return db.count_events()


def is_valid_wire(body):
    try:
        wire.parse_body(body)
    except wire.WireError:
        return False
    return True


def check(app, body, request_headers=None, method="POST"):
    """Send one generated request and check the properties every answer keeps."""
    before = stored(app)
    client = app.test_client()
    if method == "POST":
        response = client.post("/collect", data=body, headers=request_headers or {})
    else:
        response = client.get("/collect", query_string={"d": body.decode("utf-8", "replace")},
                              headers=request_headers or {})
    assert response.status_code < 500, (response.status_code, body[:200])
    assert response.status_code in (204, 400, 403, 413), response.status_code
    if response.status_code != 204:
        assert response.json["error"]
    if response.status_code != 204 or not is_valid_wire(body):
        assert stored(app) == before
    event(f"{method} {response.status_code}{' stored' if stored(app) > before else ''}")
    return response


@FUZZ
@given(body=st.binary(max_size=2000))
def test_arbitrary_bytes(fuzzed_app, body):
    check(fuzzed_app, body, {"Content-Type": "text/plain"})


@FUZZ
@given(batch=batches, request_headers=headers)
def test_wire_shaped_bodies_with_any_headers(fuzzed_app, batch, request_headers):
    body = json.dumps(batch).encode("utf-8")
    check(fuzzed_app, body, request_headers)
    check(fuzzed_app, body, request_headers, method="GET")


@settings(FUZZ, max_examples=200)
@given(padding=st.integers(min_value=MAX_BODY_BYTES - 600, max_value=MAX_BODY_BYTES + 600),
       filler=st.sampled_from([b" ", b"x", b"\xff", b"["]))
def test_sizes_around_the_32_kib_limit(fuzzed_app, padding, filler):
    body = json.dumps(BATCH).encode("utf-8") + filler * padding
    response = check(fuzzed_app, body, {"Content-Type": "text/plain"})
    assert (response.status_code == 413) == (len(body) > MAX_BODY_BYTES)
