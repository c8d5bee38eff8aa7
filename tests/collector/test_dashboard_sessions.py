"""Dashboard sessions: Secure over https (directly or through a trusted proxy), ended on the
server at log-out, an absolute lifetime from log-in, and a new session id at each log-in."""

import pytest
from wire_samples import log_in

from candor_server import create_app
from candor_server.dashboard.auth import SESSION_LIFETIME

pytestmark = pytest.mark.databases("sqlite", "postgresql")

HTTPS = {"base_url": "https://stats.example"}


def session_cookie(client):
    return client.get_cookie("candor_dashboard")


def test_the_cookie_is_secure_over_https(client):
    response = client.post("/dashboard/login", data={"password": "correct horse battery staple"}, **HTTPS)
    assert response.status_code == 303 and "; Secure" in response.headers["Set-Cookie"]


def test_the_cookie_is_not_secure_over_plain_http(client):
    assert "; Secure" not in log_in(client).headers["Set-Cookie"]


@pytest.mark.parametrize(("hops", "secure"), [(1, True), (0, False)])
def test_a_trusted_proxy_saying_https_makes_it_secure_and_an_untrusted_one_does_not(app, hops, secure):
    proxied = create_app({**app.config, "PROXIES": hops})
    response = proxied.test_client().post("/dashboard/login", data={"password": "correct horse battery staple"},
                                          headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"})
    assert response.status_code == 303 and ("; Secure" in response.headers["Set-Cookie"]) is secure


def test_a_cookie_saved_before_logging_out_opens_nothing_after(client):
    log_in(client)
    saved = session_cookie(client).value
    assert client.post("/dashboard/logout").status_code == 303
    client.set_cookie("candor_dashboard", saved)
    assert client.get("/dashboard").status_code == 302


def test_a_session_ends_a_working_day_after_its_log_in_however_busy(client, clock):
    log_in(client)
    for _ in range(8):
        clock.advance(seconds=SESSION_LIFETIME.total_seconds() / 8 - 60)
        response = client.get("/dashboard")
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
    clock.advance(seconds=8 * 60)
    assert client.get("/dashboard").status_code == 302


def test_each_log_in_gets_a_new_session_id_and_the_old_one_stays_closed_after_log_out(client):
    log_in(client)
    first = session_cookie(client).value
    client.post("/dashboard/logout")
    log_in(client)
    second = session_cookie(client).value
    assert first != second
    client.set_cookie("candor_dashboard", first)
    assert client.get("/dashboard").status_code == 302
    client.set_cookie("candor_dashboard", second)
    assert client.get("/dashboard").status_code == 200
