"""Bodies that are JSON but not the wire format (CONTRACT.md §3): each is refused
with 400, nothing is stored, and the reason names the field at fault."""

import json
import random

import pytest
from wire_samples import BATCH, PAGE_EVENT, batch, batch_with_event

LEAK = {**PAGE_EVENT, "type": "leak", "hosts": [{"host": "px.tracker.example", "kind": "img", "n": 2}]}
NAMED = {**PAGE_EVENT, "type": "event", "name": "signup"}


def without(mapping, field):
    return {key: value for key, value in mapping.items() if key != field}


def leak_with_host(**fields):
    return batch(events=[{**LEAK, "hosts": [{**LEAK["hosts"][0], **fields}]}])


WRONG_BODIES = {
    "not-an-object": ([BATCH], "body: expected a JSON object"),
    "a-string": ("demo", "body: expected a JSON object"),
    "unknown-top-level-key": (batch(extra=1), "extra: unknown field"),
    "missing-v": (without(BATCH, "v"), "v: required"),
    "v-2": (batch(v=2), "v: expected 1"),
    "v-true": (batch(v=True), "v: expected 1"),
    "missing-site": (without(BATCH, "site"), "site: required"),
    "empty-site": (batch(site=""), "site: expected a string"),
    "site-too-long": (batch(site="s" * 65), "site: expected a string"),
    "site-number": (batch(site=5), "site: expected a string"),
    "uid-number": (batch(uid=7), "uid: expected a string"),
    "uid-empty": (batch(uid=""), "uid: expected a string"),
    "missing-events": (without(BATCH, "events"), "events: required"),
    "empty-events": (batch(events=[]), "events: expected a list of 1 to 50"),
    "events-object": (batch(events={}), "events: expected a list"),
    "too-many-events": (batch(events=[PAGE_EVENT] * 51), "events: expected a list of 1 to 50"),
    "event-not-object": (batch(events=["page"]), "events[0]: expected an object"),
    "second-event-bad": (batch(events=[PAGE_EVENT, {**PAGE_EVENT, "url": 7}]), "events[1].url:"),
    "unknown-type": (batch_with_event(type="click"), "events[0].type: expected one of"),
    "missing-type": (batch(events=[without(PAGE_EVENT, "type")]), "events[0].type:"),
    "type-list": (batch_with_event(type=["page"]), "events[0].type:"),
    "unknown-event-key": (batch_with_event(foo=1), "events[0].foo: unknown field"),
    "odd-unknown-key": (batch_with_event(**{"a b" * 50: 1}), 'events[0]."a ba b'),
    "missing-id": (batch(events=[without(PAGE_EVENT, "id")]), "events[0].id: required"),
    "id-not-uuid": (batch_with_event(id="not-a-uuid"), "events[0].id: expected a UUID"),
    "id-number": (batch_with_event(id=123), "events[0].id: expected a UUID"),
    "ts-string": (batch_with_event(ts="1764400000000"), "events[0].ts: expected a non-negative integer"),
    "ts-true": (batch_with_event(ts=True), "events[0].ts: expected a non-negative integer"),
    "ts-float": (batch_with_event(ts=1.5), "events[0].ts:"),
    "ts-negative": (batch_with_event(ts=-1), "events[0].ts:"),
    "ts-huge": (batch_with_event(ts=2**64), "events[0].ts:"),
    "missing-url": (batch(events=[without(PAGE_EVENT, "url")]), "events[0].url: required"),
    "url-too-long": (
        batch_with_event(url="https://pub.example/" + "a" * 2029),
        "events[0].url: expected a string of at most 2048 characters",
    ),
    "url-null": (batch_with_event(url=None), "events[0].url:"),
    "ref-too-long": (batch_with_event(ref="r" * 2049), "events[0].ref:"),
    "title-too-long": (batch_with_event(title="t" * 513), "events[0].title:"),
    "title-lone-surrogate": (batch_with_event(title="\ud800"), "events[0].title: contains an unpaired"),
    "lang-too-long": (batch_with_event(lang="l" * 36), "events[0].lang:"),
    "tz-too-long": (batch_with_event(tz="z" * 65), "events[0].tz:"),
    "sw-negative": (batch_with_event(sw=-1), "events[0].sw:"),
    "sh-true": (batch_with_event(sh=True), "events[0].sh:"),
    "sw-string": (batch_with_event(sw="1920"), "events[0].sw:"),
    "attrs-list": (batch_with_event(attrs=["a"]), "events[0].attrs: expected an object"),
    "attrs-nested": (batch_with_event(attrs={"a": {"b": 1}}), "events[0].attrs.a: expected a string"),
    "attrs-list-value": (batch_with_event(attrs={"a": [1]}), "events[0].attrs.a:"),
    "attrs-too-many": (batch_with_event(attrs={f"k{i}": i for i in range(33)}), "events[0].attrs:"),
    "attrs-long-value": (batch_with_event(attrs={"a": "v" * 513}), "events[0].attrs.a:"),
    "attrs-empty-key": (batch_with_event(attrs={"": 1}), 'events[0].attrs."":'),
    "name-on-page": (batch_with_event(name="signup"), "events[0].name: unknown field"),
    "props-on-page": (batch_with_event(props={}), "events[0].props: unknown field"),
    "event-without-name": (batch(events=[without(NAMED, "name")]), "events[0].name: required"),
    "event-empty-name": (batch(events=[{**NAMED, "name": ""}]), "events[0].name:"),
    "event-long-name": (batch(events=[{**NAMED, "name": "n" * 65}]), "events[0].name:"),
    "event-props-nested": (batch(events=[{**NAMED, "props": {"p": {}}}]), "events[0].props.p:"),
    "leak-without-hosts": (batch(events=[without(LEAK, "hosts")]), "events[0].hosts: required"),
    "leak-hosts-object": (batch(events=[{**LEAK, "hosts": {}}]), "events[0].hosts: expected a list"),
    "hosts-on-page": (batch_with_event(hosts=[]), "events[0].hosts: unknown field"),
    "host-missing-n": (
        batch(events=[{**LEAK, "hosts": [{"host": "a.example", "kind": "img"}]}]),
        "events[0].hosts[0].n: required",
    ),
    "host-is-a-url": (
        leak_with_host(host="https://px.tracker.example/p?u=1"),
        "events[0].hosts[0].host: expected a bare host name",
    ),
    "host-n-true": (leak_with_host(n=True), "events[0].hosts[0].n:"),
    "host-extra-key": (leak_with_host(url="x"), "events[0].hosts[0].url: unknown field"),
}


@pytest.mark.parametrize(("body", "reason"), WRONG_BODIES.values(), ids=WRONG_BODIES.keys())
def test_a_wrong_body_is_refused_and_the_reason_names_the_field(client, stored_count, body, reason):
    response = client.post("/collect", data=json.dumps(body), content_type="text/plain")
    assert response.status_code == 400
    assert response.json["error"].startswith(reason)
    assert stored_count() == 0


ODD_VALUES = [
    None, True, False, -1, 0, 2**70, 1e308, "", "x" * 3000, "\ud83d", [], {}, [[[]]], {"a": {"b": []}},
]


def mutated(node, rng):
    """The body with one value somewhere inside replaced by an odd one."""
    if isinstance(node, dict) and node and rng.random() < 0.8:
        key = rng.choice(list(node))
        return {**node, key: mutated(node[key], rng)}
    if isinstance(node, list) and node and rng.random() < 0.8:
        index = rng.randrange(len(node))
        return [*node[:index], mutated(node[index], rng), *node[index + 1:]]
    return rng.choice(ODD_VALUES)


def test_no_mutation_of_a_good_body_makes_the_collector_fail(client):
    """Whatever a client sends, the answer is a decision, never a server error."""
    rng = random.Random(20251129)
    good = batch(events=[PAGE_EVENT, LEAK, {**NAMED, "id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}])
    for _ in range(400):
        body = mutated(good, rng)
        response = client.post("/collect", data=json.dumps(body), content_type="text/plain")
        assert response.status_code in (204, 400), body
