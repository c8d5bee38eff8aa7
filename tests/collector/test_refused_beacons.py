"""Every refused beacon is one structured log line with its reason and site, no personal data,
and a flood of them writes a bounded number of lines."""

import json
import logging

import pytest
from wire_samples import BATCH, TEST_SITES, batch, post

from candor_server.collector.refused_beacons import LINES_PER_MINUTE, LineBudget, log_refusal
from demo_site import create_app

pytestmark = pytest.mark.databases("sqlite", "postgresql")

UID = BATCH["uid"]


@pytest.fixture
def refusal_lines(caplog):
    """The JSON lines logged by candor.refusals during the test."""
    caplog.set_level(logging.WARNING, logger="candor.refusals")

    def lines():
        return [json.loads(record.getMessage()) for record in caplog.records if record.name == "candor.refusals"]
    return lines


@pytest.mark.parametrize("body, headers, line", [
    (batch(site="nwes"), {}, {"refused": "unknown_site", "status": 403, "site": "nwes"}),
    (batch(site="partner"), {"Origin": "https://elsewhere.example"},
     {"refused": "origin", "status": 403, "site": "partner", "origin": "https://elsewhere.example"}),
    (batch(v=2), {}, {"refused": "schema", "status": 400, "site": "demo"}),
    ("not json", {}, {"refused": "schema", "status": 400, "site": None}),
    ("x" * (32 * 1024 + 1), {}, {"refused": "size", "status": 413, "site": None}),
])
def test_each_refusal_is_one_line_with_its_reason_and_site(client, refusal_lines, body, headers, line):
    response = post(client, body, headers={"User-Agent": "Firefox", **headers})
    assert response.status_code == line["status"]
    assert refusal_lines() == [line]


def test_a_refused_pixel_is_logged_with_the_origin_it_came_from(client, refusal_lines):
    client.get("/collect?d=" + json.dumps(batch(site="partner")))
    client.get("/collect?d=" + json.dumps(batch(site="partner")), headers={"Referer": "https://elsewhere.example/x"})
    assert [(line["refused"], line["origin"]) for line in refusal_lines()] == [
        ("origin", "none"), ("origin", "https://elsewhere.example")]


def test_a_line_holds_no_visitor_data(client, refusal_lines):
    post(client, batch(site="partner"), headers={"Origin": "https://elsewhere.example", "User-Agent": "Firefox"},
         environ_base={"REMOTE_ADDR": "198.51.100.7"})
    [line] = refusal_lines()
    text = json.dumps(line)
    assert UID not in text and "198.51.100.7" not in text and "Firefox" not in text and "pub.example" not in text


def test_accepted_beacons_log_nothing(client, refusal_lines):
    assert post(client, BATCH).status_code == 204
    assert refusal_lines() == []


def test_a_rate_limited_beacon_is_logged_under_its_site(tmp_path, dist_dir, refusal_lines):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SITES": TEST_SITES,
                      "DIST_DIR": dist_dir, "DASHBOARD_PASSWORD": "x" * 12, "COLLECT_RATE_LIMIT": "1 per minute"})
    client = app.test_client()
    assert [post(client, BATCH).status_code for _ in range(2)] == [204, 429]
    assert refusal_lines() == [{"refused": "rate_limit", "status": 429, "site": "demo"}]


def test_fields_a_client_chose_are_cut_short(refusal_lines):
    log_refusal(403, "unknown_site", "s" * 5000, "https://" + "o" * 5000, budget=LineBudget(10))
    [line] = refusal_lines()
    assert len(line["site"]) == 200 and len(line["origin"]) == 200


class Clock:
    def __init__(self):
        self.seconds = 0.0

    def __call__(self):
        return self.seconds


def test_a_flood_writes_at_most_the_minutes_budget_then_says_how_many_were_held_back(refusal_lines):
    clock = Clock()
    budget = LineBudget(LINES_PER_MINUTE, clock)
    for _ in range(LINES_PER_MINUTE * 50):
        log_refusal(403, "unknown_site", "nwes", budget=budget)
    assert len(refusal_lines()) == LINES_PER_MINUTE
    clock.seconds += 60
    log_refusal(403, "unknown_site", "nwes", budget=budget)
    assert refusal_lines()[-1]["held_back"] == LINES_PER_MINUTE * 49
    assert len(refusal_lines()) == LINES_PER_MINUTE + 1


def dashboard_rows(client, section_id):
    """(label, 24 h, 7 days) rows of a dashboard table."""
    import re
    html = client.get("/dashboard?site=partner").get_data(as_text=True)
    section = html[html.index(f'id="{section_id}"'):]
    section = section[:section.index("</table>")]
    return [tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row))
            for row in re.findall(r"<tr>(.*?)</tr>", section, re.S) if "<td" in row]


def test_the_dashboard_counts_accepted_and_refused_beacons_per_site_for_24_hours_and_7_days(
        client, dashboard_client, clock):
    partner = {"Origin": "https://partner.example"}
    elsewhere = {"Origin": "https://elsewhere.example"}
    post(client, batch(site="partner", v=2), headers=partner)
    clock.advance(days=2)
    assert post(client, batch(site="partner"), headers=partner).status_code == 204
    for _ in range(3):
        post(client, batch(site="partner"), headers=elsewhere)
    post(client, batch(site="demo"), headers=elsewhere)
    post(client, batch(site="nwes"), headers=partner)
    rows = dashboard_rows(dashboard_client, "beacons")
    assert rows[0] == ("events accepted", "1", "1")
    assert ("origin not allowed: https://elsewhere.example", "3", "3") in rows
    assert ("not the wire format", "0", "1") in rows
    assert len(rows) == 3, "the demo site's refusal is not the partner's"
    assert ("unknown site: nwes", "1", "1") in dashboard_rows(dashboard_client, "beacons-no-site")


def test_origins_a_flood_invents_are_capped_per_hour(app, client):
    from candor_server.storage import db
    for number in range(db.MAX_REFUSAL_DETAILS + 5):
        post(client, batch(site="partner"), headers={"Origin": f"https://spoof{number}.example"})
    with app.app_context():
        counts = db.refusal_counts("partner", 0)
    assert len(counts) == db.MAX_REFUSAL_DETAILS + 1
    assert ("origin", db.OTHER_DETAILS, 5) in counts
