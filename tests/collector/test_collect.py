"""POST /collect and the GET pixel: what is stored, what is refused, and why."""

import io
import json
from urllib.parse import quote

import pytest
from sqlalchemy import select
from wire_samples import BATCH, EVENT_ID, FIREFOX, PAGE_EVENT, TEXT_PLAIN, batch, post

from candor_server.collector.visits import visitor_key
from candor_server.storage import db
from candor_server.storage.tables import visit

pytestmark = pytest.mark.databases("sqlite", "postgresql")


def test_good_body_is_stored_once_with_every_field(client, stored_events, clock):
    response = post(client, BATCH, headers={"User-Agent": FIREFOX})

    assert response.status_code == 204
    assert response.get_data() == b""
    [event] = stored_events("demo")
    assert event.pop("received_at") == int(clock() * 1000)
    assert event == {
        **PAGE_EVENT,
        "site": "demo",
        "uid": BATCH["uid"],
        "name": None,
        "props": None,
        "hosts": None,
        "ref_type": "search",
        "ref_source": "Google",
        "ref_terms": "shoes",
        "browser": "Firefox",
        "path": "/a",
        "visit_id": 1,
        "visitor": visitor_key(BATCH["uid"]),
    }


def test_application_json_is_accepted_too(client, stored_count):
    assert post(client, BATCH, content_type="application/json").status_code == 204
    assert stored_count() == 1


def test_other_content_types_are_refused(client, stored_count):
    response = post(client, BATCH, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "Content-Type" in response.json["error"]
    assert stored_count() == 0


def test_named_events_and_leak_reports_keep_their_own_fields(client, stored_events):
    named = {
        **PAGE_EVENT,
        "id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "type": "event",
        "ts": PAGE_EVENT["ts"] + 1,
        "name": "newsletter_signup",
        "props": {"plan": "weekly", "count": 2, "first": True, "coupon": None},
    }
    leak = {
        **PAGE_EVENT,
        "id": "6fa459ea-ee8a-3ca4-894e-db77e160355e",
        "type": "leak",
        "ts": PAGE_EVENT["ts"] + 2,
        "hosts": [{"host": "px.tracker.example", "kind": "img", "n": 2}],
    }
    assert post(client, batch(events=[named, leak])).status_code == 204

    stored = {event["type"]: event for event in stored_events("demo")}
    assert (stored["event"]["name"], stored["event"]["props"]) == (named["name"], named["props"])
    assert stored["leak"]["hosts"] == leak["hosts"]
    assert stored["leak"]["name"] is None and stored["leak"]["props"] is None


def test_optional_fields_may_be_absent_or_null(client, stored_events):
    event = {"id": EVENT_ID, "type": "page", "ts": 1, "url": "https://pub.example/", "ref": None}
    assert post(client, batch(events=[event])).status_code == 204
    [stored] = stored_events("demo")
    assert stored["ref"] is None and stored["attrs"] is None and stored["sw"] is None


def test_a_repeated_event_id_is_stored_once(client, stored_count):
    assert post(client, BATCH).status_code == 204
    assert post(client, BATCH).status_code == 204
    same_id_in_capitals = batch(events=[{**PAGE_EVENT, "id": EVENT_ID.upper()}])
    assert post(client, same_id_in_capitals).status_code == 204
    assert stored_count() == 1


def test_a_replayed_event_id_cannot_rewrite_what_was_stored(client, stored_events):
    post(client, BATCH)
    post(client, batch(events=[{**PAGE_EVENT, "url": "https://pub.example/rewritten"}]))
    assert [event["url"] for event in stored_events("demo")] == [PAGE_EVENT["url"]]


def test_a_repeated_event_id_within_one_batch_is_stored_once(client, stored_count):
    assert post(client, batch(events=[PAGE_EVENT, PAGE_EVENT])).status_code == 204
    assert stored_count() == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "body is empty"),
        (b'{"v": 1,', "body is not JSON"),
        (b"\xff\xfe{}", "body is not UTF-8"),
        (b'{"v": NaN}', "body is not JSON"),
        (b'{"v": 1e999}', "body is not JSON"),
        (b"[" * 30000, "body is not JSON"),
        (b"1" * 5000, "body is not JSON"),
    ],
    ids=["empty", "truncated", "not-utf8", "nan", "infinite", "deeply-nested", "huge-integer"],
)
def test_not_json_is_refused_with_a_reason(client, stored_count, body, reason):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json["error"].startswith(reason)
    assert stored_count() == 0


class UnreadableBody(io.BytesIO):
    """A request body that fails the test if the app reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")


def test_a_body_declared_over_32_kib_is_refused_without_reading_it(client, stored_count):
    response = client.post(
        "/collect",
        input_stream=UnreadableBody(),
        content_type=TEXT_PLAIN,
        environ_overrides={"CONTENT_LENGTH": str(32 * 1024 + 1)},
    )
    assert response.status_code == 413
    assert response.json == {"error": "body is larger than 32768 bytes"}
    assert stored_count() == 0


def test_a_body_of_exactly_32_kib_is_read(client):
    response = post(client, b" " * (32 * 1024 - 2) + b"{}")
    assert response.status_code == 400
    assert response.json["error"].startswith("v: required")


def test_a_body_over_32_kib_without_content_length_is_refused_by_what_was_read(client):
    response = client.post(
        "/collect",
        input_stream=io.BytesIO(b"x" * (64 * 1024)),
        content_type=TEXT_PLAIN,
        environ_overrides={"CONTENT_LENGTH": "", "wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.json["error"] == "body is larger than 32768 bytes"


@pytest.mark.parametrize(
    "signal",
    [{"headers": {"DNT": "1"}}, {"headers": {"Sec-GPC": "1"}}, {"cookie": "candor_optout"}],
    ids=["dnt", "gpc", "optout-cookie"],
)
def test_privacy_signals_store_nothing(client, stored_count, signal):
    if "cookie" in signal:
        client.set_cookie(signal["cookie"], "1")
    response = post(client, BATCH, headers=signal.get("headers", {}))
    assert response.status_code == 204
    assert stored_count() == 0


def test_a_privacy_signal_on_a_malformed_beacon_is_refused_like_any_other(client):
    assert post(client, b"not json", headers={"DNT": "1"}).status_code == 400


def test_dnt_zero_is_not_an_opt_out(client, stored_count):
    assert post(client, BATCH, headers={"DNT": "0", "Sec-GPC": "0"}).status_code == 204
    assert stored_count() == 1


def test_an_unknown_site_is_forbidden(client, stored_count):
    response = post(client, batch(site="someone-else"))
    assert response.status_code == 403
    assert response.json["error"] == "unknown site 'someone-else'"
    assert stored_count() == 0


def test_an_origin_the_site_does_not_allow_is_forbidden(client, stored_count):
    response = post(client, BATCH, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "https://evil.example" in response.json["error"]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert stored_count() == 0


def test_self_allows_the_collectors_own_origin_and_answers_cors(client, stored_count):
    response = post(client, BATCH, headers={"Origin": "http://localhost"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost"
    assert "Origin" in response.headers["Vary"]
    assert stored_count() == 1


def test_a_listed_origin_may_send_for_its_site_only(client, stored_count):
    partner = {"Origin": "https://partner.example"}
    assert post(client, batch(site="partner"), headers=partner).status_code == 204
    assert post(client, BATCH, headers=partner).status_code == 403
    assert stored_count() == 1


def test_collector_answers_are_never_cached(client):
    assert post(client, BATCH).headers["Cache-Control"] == "no-store"


def test_the_pixel_stores_the_body_from_its_query(client, stored_events):
    response = client.get("/collect?d=" + quote(json.dumps(BATCH)), headers={"Referer": "http://localhost/a?x=1"})
    assert response.status_code == 204
    assert [event["id"] for event in stored_events("demo")] == [EVENT_ID]


def pixel(client, body, **headers):
    return client.get("/collect?d=" + quote(json.dumps(body)), headers=headers)


def test_the_pixel_is_checked_against_the_origin_of_its_referer(client, stored_count):
    partner = batch(site="partner")
    assert pixel(client, partner, Referer="https://partner.example/story?id=1").status_code == 204
    refused = pixel(client, partner, Referer="https://elsewhere.example/page")
    assert refused.status_code == 403 and "https://elsewhere.example" in refused.json["error"]
    assert pixel(client, partner, Referer="https://elsewhere.example/", Origin="https://partner.example").status_code == 204
    assert pixel(client, BATCH, Referer="https://partner.example/").status_code == 403
    assert stored_count() == 1, "the two accepted pixels carry the same event id"


def test_a_malformed_referer_is_no_origin_and_never_a_500(client, stored_count):
    refused = pixel(client, batch(site="partner"), Referer="http://[::1")
    assert refused.status_code == 403 and "neither Origin nor Referer" in refused.json["error"]
    assert stored_count() == 0


def test_a_pixel_with_neither_origin_nor_referer_is_refused_for_a_site_listing_origins(app, client, stored_count):
    refused = pixel(client, batch(site="partner"))
    assert refused.status_code == 403 and "neither Origin nor Referer" in refused.json["error"]
    app.config["SITES"]["partner"]["origins"] = []
    assert pixel(client, batch(site="partner")).status_code == 204
    assert stored_count() == 1


def test_a_refusal_is_readable_only_by_a_page_the_site_allows(client):
    allowed = post(client, batch(v=2), headers={"Origin": "http://localhost"})
    assert allowed.status_code == 400 and allowed.headers["Access-Control-Allow-Origin"] == "http://localhost"
    assert "Origin" in allowed.headers["Vary"]
    foreign = post(client, batch(v=2), headers={"Origin": "https://elsewhere.example"})
    assert foreign.status_code == 400 and "Access-Control-Allow-Origin" not in foreign.headers
    unknown = post(client, batch(site="nwes"), headers={"Origin": "http://localhost"})
    assert unknown.status_code == 403 and "Access-Control-Allow-Origin" not in unknown.headers


def test_the_pixel_makes_the_same_checks(client, stored_count):
    missing = client.get("/collect")
    assert missing.status_code == 400
    assert missing.json["error"].startswith("body is empty")
    assert pixel(client, batch(site="x"), Referer="http://localhost/").status_code == 403
    assert client.get("/collect?d=" + "x" * (32 * 1024 + 1)).status_code == 413
    tracked_nothing = pixel(client, BATCH, **{"Sec-GPC": "1", "Referer": "http://localhost/"})
    assert tracked_nothing.status_code == 204
    assert stored_count() == 0


def visit_rows(app):
    with app.app_context(), db.engine().connect() as connection:
        return connection.execute(select(visit.c.page_views, visit.c.events, visit.c.exit_path)).all()


def test_a_retried_beacon_is_counted_once_in_its_visit(app, client):
    assert post(client, BATCH).status_code == 204
    assert post(client, BATCH).status_code == 204
    assert visit_rows(app) == [(1, 0, "/a")]
    second = {**PAGE_EVENT, "id": "1b4e28ba-2fa1-41d2-883f-0016d3cca427", "url": "https://pub.example/b"}
    assert post(client, batch(events=[PAGE_EVENT, second])).status_code == 204
    assert visit_rows(app) == [(2, 0, "/b")]


def test_a_beacon_retried_after_the_visit_ended_opens_no_empty_visit(app, client, clock):
    assert post(client, BATCH).status_code == 204
    clock.advance(seconds=31 * 60)
    assert post(client, BATCH).status_code == 204
    assert visit_rows(app) == [(1, 0, "/a")]
