"""The consumer-choice page and its opt-out / opt-in cookies (CONTRACT.md §2, §4)."""

import pytest
from wire_samples import BATCH

pytestmark = pytest.mark.databases("sqlite", "postgresql")


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


@pytest.mark.parametrize("path", ["/optin", "/optout"])
@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-FETCH-Site": "cross-site"},
     {"Sec-Fetch-Site": "same-site", "Origin": "https://news.localhost"}],
)
def test_a_foreign_page_cannot_change_the_visitors_choice(client, path, headers):
    client.set_cookie("candor_optout", "1")
    response = client.post(path, headers=headers)
    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
     {"Sec-Fetch-Site": "none"}],
)
def test_the_sites_own_form_changes_it(client, headers):
    assert client.post("/optout", headers=headers).status_code == 303
    assert client.post("/optin", headers=headers).status_code == 303


def test_the_page_says_what_is_collected_and_offers_to_opt_out(client):
    page = client.get("/optout").get_data(as_text=True)
    assert "Candor is counting visits from this browser" in page
    for collected in ("page address", "referrer", "page title", "language", "time zone",
                      "screen size", "candor_id", "does not ask for your name"):
        assert collected in page
    assert '<form method="post" action="/optout">' in page
    assert 'action="/optin"' not in page


@pytest.mark.parametrize("path", ["/optout", "/privacy", "/my-data"])
def test_the_privacy_pages_never_load_the_tag(client, path):
    assert "candor.min.js" not in client.get(path).get_data(as_text=True)


def test_the_page_says_why_for_how_long_and_links_the_policy_and_my_data(client):
    page = " ".join(client.get("/optout").get_data(as_text=True).split())
    for said in ("which stories are read", "not used for advertising", "deleted after 90 days",
                 "Your IP address is not stored", "search engine", "which browser you use",
                 '<a href="/my-data">your data</a>', '<a href="/privacy">privacy policy</a>'):
        assert said in page


def test_the_privacy_policy_covers_what_why_how_long_and_your_rights(client):
    response = client.get("/privacy")
    page = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 200
    for said in ("What is kept", "When nothing is kept", "Do Not Track", "Global Privacy Control",
                 "<code>candor_id</code>", "<code>candor_optout</code>", "deleted 90 days after it arrives",
                 "never stored", '<a href="/my-data">your data</a>', "not shared with anyone"):
        assert said in page


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


def test_the_choice_page_explains_the_consent_banner_reasons(client):
    page = client.get("/optout").get_data(as_text=True)
    section = page.split('id="consent-platforms"')[1].split("<h2>")[0]
    for words in ("TCF", "GPP", "<code>tcf</code>", "<code>gpp</code>", "at most two seconds"):
        assert words in section


def test_the_choice_page_explains_that_cookieless_counting_cannot_be_linked(client):
    page = client.get("/optout").get_data(as_text=True)
    paragraph = page.split('id="cookieless"')[1].split("</p>")[0]
    text = " ".join(paragraph.split())
    assert "changes every day" in text and "nothing counted can be linked" in text
