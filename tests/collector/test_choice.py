"""The consumer-choice page and its opt-out / opt-in cookies (CONTRACT §2, §4)."""

import pytest
from wire_samples import BATCH


def set_cookies(response):
    """Each Set-Cookie header as {name: {"value": ..., attribute: value or True}}."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = [part.strip() for part in header.split(";")]
        name, value = name_value.split("=", 1)
        cookies[name] = {"value": value}
        for attribute in attributes:
            key, _, attribute_value = attribute.partition("=")
            cookies[name][key.lower()] = attribute_value or True
    return cookies


def without_expires(cookie):
    return {key: value for key, value in cookie.items() if key != "expires"}


def test_opting_out_sets_the_optout_cookie_and_deletes_the_id(client):
    client.set_cookie("candor_id", "4f1c2a9e8b7d6c5f")
    response = client.post("/optout")

    assert response.status_code == 303
    assert response.headers["Location"] == "/optout"
    cookies = set_cookies(response)
    assert without_expires(cookies["candor_optout"]) == {
        "value": "1",
        "max-age": "34560000",
        "path": "/",
        "samesite": "Lax",
    }
    assert without_expires(cookies["candor_id"]) == {
        "value": "",
        "max-age": "0",
        "path": "/",
        "samesite": "Lax",
    }
    assert client.get_cookie("candor_id") is None
    assert client.get_cookie("candor_optout").value == "1"


def test_cookies_are_secure_over_https(client):
    cookies = set_cookies(client.post("/optout", base_url="https://localhost"))
    assert cookies["candor_optout"]["secure"] is True
    assert cookies["candor_id"]["secure"] is True
    opt_in = client.post("/optin", base_url="https://localhost")
    assert set_cookies(opt_in)["candor_optout"]["secure"] is True


def test_opting_in_deletes_the_optout_cookie(client):
    client.set_cookie("candor_optout", "1")
    response = client.post("/optin")

    assert response.status_code == 303
    assert response.headers["Location"] == "/optout"
    assert without_expires(set_cookies(response)["candor_optout"]) == {
        "value": "",
        "max-age": "0",
        "path": "/",
        "samesite": "Lax",
    }
    assert client.get_cookie("candor_optout") is None


def test_a_foreign_page_cannot_opt_a_visitor_back_in(client):
    client.set_cookie("candor_optout", "1")
    response = client.post("/optin", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers
    assert client.post("/optin", headers={"Origin": "http://localhost"}).status_code == 303


def test_the_page_says_what_is_collected_and_offers_to_opt_out(client):
    page = client.get("/optout").get_data(as_text=True)
    assert "Candor is counting visits from this browser" in page
    for collected in ("page address", "referrer", "page title", "language", "time zone",
                      "screen size", "candor_id", "does not ask for your name"):
        assert collected in page
    assert '<form method="post" action="/optout">' in page
    assert 'action="/optin"' not in page


def test_the_page_never_loads_the_tag(client):
    assert "candor.min.js" not in client.get("/optout").get_data(as_text=True)


def test_the_page_shows_an_opt_out_and_offers_to_opt_back_in(client):
    client.set_cookie("candor_optout", "1")
    page = client.get("/optout").get_data(as_text=True)
    assert "Candor collects nothing from this browser" in page
    assert "You opted out" in page
    assert '<form method="post" action="/optin">' in page
    assert 'action="/optout"' not in page


@pytest.mark.parametrize(
    ("header", "explanation"),
    [
        ("DNT", "Do Not Track (<code>DNT: 1</code>)"),
        ("Sec-GPC", "Global Privacy Control (<code>Sec-GPC: 1</code>)"),
    ],
)
def test_the_page_explains_a_browser_signal(client, header, explanation):
    page = client.get("/optout", headers={header: "1"}).get_data(as_text=True)
    assert "Candor collects nothing from this browser" in page
    assert explanation in page
    assert "You opted out" not in page
    assert '<form method="post" action="/optout">' in page


def test_opting_back_in_under_a_browser_signal_says_it_still_wins(client):
    client.set_cookie("candor_optout", "1")
    page = client.get("/optout", headers={"Sec-GPC": "1"}).get_data(as_text=True)
    assert "does not override your browser's signal" in page


def test_after_opting_out_on_the_page_the_collector_stores_nothing(client, stored_count):
    client.post("/optout", follow_redirects=True)
    assert client.post("/collect", json=BATCH).status_code == 204
    assert stored_count() == 0
    client.post("/optin")
    assert client.post("/collect", json=BATCH).status_code == 204
    assert stored_count() == 1
