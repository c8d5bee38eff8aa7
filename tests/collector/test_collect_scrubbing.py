"""Every field a beacon carries is scrubbed before storage (CONTRACT.md §3, §4), with the
collector's pass of the rulebook (tag_src/scrub.py); what was found is counted per site,
page path, field and kind, and the dashboard tells the publisher."""

import pytest
from wire_samples import BATCH, PAGE_EVENT, batch, batch_with_event, log_in, post

pytestmark = pytest.mark.databases("sqlite", "postgresql")

# The forms a probe of the previous collector found stored as they were sent.
MISSED_BEFORE = [
    "card 4111 1111 1111 1111 12/26", "card 4111 1111 1111 1111 123", "ref 9 4111 1111 1111 1111",
    "4111.1111.1111.1111", "4111/1111/1111/1111", "4111  1111  1111  1111",
    "call 555 - 123 - 4567", "call 555/123/4567", "call 555\u00a0123\u00a04567", "call 555\u2013123\u20134567",
    "john%40example%2Ecom", "john\uff20example.com", "john @ example.com", "john[at]example.com",
    "IBAN DE89 3704 0044 0532 0130 00",
]
SECRETS = ("4111", "1111", "4567", "john", "DE89", "3704")


def named_event(**fields):
    return {**PAGE_EVENT, "type": "event", "name": "signup", "props": {}, **fields}


@pytest.mark.parametrize("text", MISSED_BEFORE)
@pytest.mark.parametrize("field", ["title", "url", "attrs", "name"])
def test_each_form_the_old_collector_missed_is_scrubbed_in_every_field(client, stored_events, text, field):
    value = {"attrs": {"note": text}, "url": "https://pub.example/p?x=" + text}.get(field, text)
    event = named_event(**{field: value}) if field == "name" else {**PAGE_EVENT, field: value}
    assert post(client, batch(events=[event])).status_code == 204
    [stored] = stored_events()
    assert not any(secret in str(stored[field]) for secret in SECRETS), stored[field]


def test_keys_and_numbers_of_attrs_and_props_are_scrubbed(client, stored_events):
    event = named_event(name="paid 4111 1111 1111 1111",
                        props={"ann@example.com": "yes", "card": 4111111111111111, "n": 3, "price": 12.5, "ok": True})
    assert post(client, batch(events=[event])).status_code == 204
    [stored] = stored_events()
    assert stored["name"] == "paid [card]"
    assert stored["props"] == {"[email]": "yes", "card": "[card]", "n": 3, "price": 12.5, "ok": True}


@pytest.mark.parametrize(("lang", "tz", "kept"), [
    ("en-US", "America/Argentina/Buenos_Aires", True), ("zh-Hant-TW", "Etc/GMT+5", True), ("es-419", "UTC", True),
    ("ann@example.com", "555 123 4567", False), ("en US", "Europe/../Paris", False), ("4111111111111111", "/", False),
])
def test_lang_and_tz_are_kept_only_in_their_formats(client, stored_events, lang, tz, kept):
    assert post(client, batch_with_event(lang=lang, tz=tz)).status_code == 204
    [stored] = stored_events()
    assert (stored["lang"], stored["tz"]) == ((lang, tz) if kept else (None, None))


@pytest.mark.parametrize("uid", ["1", "admin", "ann@example.com", "4F1C2A9E8B7D6C5F4E3D2C1B0A998877",
                                 "4f1c2a9e8b7d6c5f4e3d2c1b0a99887", "4f1c2a9e8b7d6c5f4e3d2c1b0a998877aa"])
def test_a_uid_not_in_the_tags_format_is_refused(client, stored_events, uid):
    response = post(client, batch(uid=uid))
    assert response.status_code == 400 and response.get_json()["error"].startswith("uid:")
    assert stored_events() == []


def test_search_terms_are_scrubbed_after_decoding_and_never_reach_the_dashboard(client, stored_events):
    for i, ref in enumerate(["https://www.google.com/search?q=john%40example%2Ecom",
                             "https://www.bing.com/search?q=john+%40+example.com"]):
        event = {**PAGE_EVENT, "id": f"0f8fad5b-d9cb-469f-a165-7086772895{i:02d}", "ref": ref}
        assert post(client, batch(events=[event])).status_code == 204
    stored = stored_events()
    assert [event["ref_terms"] for event in stored] == ["[email]", "[email]"]
    assert not any("john" in event["ref"] for event in stored)


def test_what_was_scrubbed_is_counted_per_page_and_the_dashboard_says_so(client, dashboard_client, clock):
    for i in range(3):
        event = {**PAGE_EVENT, "id": f"0f8fad5b-d9cb-469f-a165-7086772895{i:02d}",
                 "url": f"https://pub.example/checkout?contact=ann{i}%40example.com&email=x",
                 "title": "Checkout [email]"}
        assert post(client, batch(events=[event])).status_code == 204
    html = dashboard_client.get("/dashboard").get_data(as_text=True)
    assert "e-mail addresses in URLs of /checkout, 3 times in 7 days" in html
    assert "e-mail addresses in titles of /checkout, 3 times in 7 days" in html
    assert "values of sensitive parameters (email=, name=, token=…) in URLs of /checkout, 3 times" in html
    clock.advance(days=8)
    log_in(dashboard_client)
    html = dashboard_client.get("/dashboard").get_data(as_text=True)
    assert "/checkout, 3 times" not in html and "None in the last 7 days" in html


def test_a_clean_beacon_counts_nothing(client, dashboard_client):
    assert post(client, BATCH).status_code == 204
    assert "None in the last 7 days" in dashboard_client.get("/dashboard").get_data(as_text=True)
