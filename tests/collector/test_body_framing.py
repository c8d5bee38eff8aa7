"""Never a 5xx for client input, malformed chunked framing included: each framing defect is
sent over a raw socket to real servers (gunicorn with the production app, and Werkzeug's own
server), on every route that reads a body."""

import socket
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from bench.collector_load import Gunicorn, collector_environment

ROUTES = ["/collect", "/csp-report?site=bench", "/dashboard/login", "/optout", "/my-data/delete", "/leakage/invite"]
READING_ROUTES = ROUTES[:3]
"""These read the body, so a broken one is refused; the others may answer without reading it."""
# (name, what follows the headers); each is sent with Transfer-Encoding: chunked.
DEFECTS = {
    "size-not-hex": b"zz\r\nhello\r\n0\r\n\r\n",
    "chunk-without-crlf": b"5\r\nhelloXX0\r\n\r\n",
    "cut-short": b"40\r\n{\"v\": 1",
    "no-last-chunk": b"5\r\nhello\r\n",
    "size-line-too-long": b"F" * 2000 + b"\r\nhello\r\n0\r\n\r\n",
    "negative-size": b"-5\r\nhello\r\n0\r\n\r\n",
    "bad-extension": b"5;\x00\x01=\r\nhello\r\n0\r\n\r\n",
    "size-overflow": b"FFFFFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n",
}


def raw_request(port, path, body, extra_headers=b""):
    """Send headers and `body`, close the sending side (a client that stops mid-body), read the status."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n" + extra_headers
                           + b"Connection: close\r\n\r\n" + body)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def status_of(answer):
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else None


def assert_client_error(route, answer):
    """A 4xx where the route reads the body, never a 5xx anywhere, never a traceback; a server
    that closes without answering a broken request is no 5xx either."""
    status = status_of(answer)
    assert b"Traceback" not in answer
    assert status is None or status < 500, (route, answer[:300])
    if route in READING_ROUTES and status is not None:
        assert 400 <= status < 500, (route, answer[:300])


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    server = Gunicorn("candor_server:create_app()", 1,
                      {**collector_environment(tmp_path_factory.mktemp("gunicorn")),
                       "CANDOR_DASHBOARD_PASSWORD": "framing test password"})
    yield server.port
    server.stop()


@pytest.fixture
def werkzeug_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


@pytest.mark.parametrize("defect", DEFECTS)
@pytest.mark.parametrize("route", ROUTES)
def test_gunicorn_answers_a_malformed_chunked_body_with_a_4xx(gunicorn, route, defect):
    assert_client_error(route, raw_request(gunicorn, route, DEFECTS[defect]))


@pytest.mark.parametrize("defect", DEFECTS)
def test_werkzeug_answers_a_malformed_chunked_body_with_a_4xx(werkzeug_server, defect):
    for route in ROUTES:
        assert_client_error(route, raw_request(werkzeug_server, route.replace("bench", "demo"), DEFECTS[defect]))


def test_a_well_framed_chunked_beacon_is_stored(gunicorn):
    body = (b'{"v":1,"site":"bench","uid":"4f1c2a9e8b7d6c5f4e3d2c1b0a998877","events":[{"id":'
            b'"0f8fad5b-d9cb-469f-a165-70867728950e","type":"page","ts":1,"url":"http://bench.example/"}]}')
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    assert status_of(raw_request(gunicorn, "/collect", chunked, b"Origin: http://bench.example\r\n")) == 204


CHUNK_PIECES = st.one_of(
    st.binary(max_size=40),
    st.integers(-5, 2**70).map(lambda size: b"%x\r\n" % size),
    st.sampled_from([b"\r\n", b"0\r\n\r\n", b";ext=1", b"\r", b"\n", b"5\r\nhello\r\n"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(CHUNK_PIECES, max_size=6), route=st.sampled_from(ROUTES))
def test_fuzzed_chunked_framing_never_gets_a_5xx(werkzeug_server, pieces, route):
    assert_client_error(route, raw_request(werkzeug_server, route.replace("bench", "demo"), b"".join(pieces)))
