"""Checks a collector body against the wire format (CONTRACT.md §3) before anything
is stored: bad input is refused with a reason a tag developer can act on, and no
client input, however odd, can reach the database or crash a request."""

import json
import math
import re
from dataclasses import dataclass

from ..privacy_signals import is_visitor_id

WIRE_VERSION = 1
MAX_EVENTS = 50
MAX_ID_LENGTH = 64
MAX_URL_LENGTH = 2048
MAX_TITLE_LENGTH = 512
MAX_LANG_LENGTH = 35
MAX_TZ_LENGTH = 64
MAX_NAME_LENGTH = 64
MAX_MAP_KEYS = 32
MAX_MAP_KEY_LENGTH = 64
MAX_MAP_TEXT_LENGTH = 512
MAX_HOSTS = 50
MAX_HOST_LENGTH = 253
MAX_KIND_LENGTH = 32
MAX_SAFE_INTEGER = 2**53 - 1

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
# A host as browsers' URL parsers give it: a name (underscores occur), IPv4, or IPv6 in brackets.
HOST_PATTERN = re.compile(r"[a-z0-9._-]+|\[[0-9a-f:.]+\]", re.I)
PLAIN_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")
# A Resource Timing initiatorType (img, script, xmlhttprequest, early-hints...): a word, never data.
INITIATOR_KIND_PATTERN = re.compile(r"[a-z][a-z-]*")

# Required fields are tuples: a missing one is reported in the wire's own order.
BATCH_FIELDS = ("v", "site", "uid", "events")
EVENT_FIELDS = ("id", "type", "ts", "url")
OPTIONAL_EVENT_FIELDS = frozenset({"ref", "title", "lang", "tz", "sw", "sh", "attrs"})
REQUIRED_FIELDS_BY_TYPE = {
    "page": EVENT_FIELDS,
    "event": (*EVENT_FIELDS, "name"),
    "leak": (*EVENT_FIELDS, "hosts"),
}
OPTIONAL_FIELDS_BY_TYPE = {
    "page": OPTIONAL_EVENT_FIELDS,
    "event": OPTIONAL_EVENT_FIELDS | {"props"},
    "leak": OPTIONAL_EVENT_FIELDS,
}
HOST_FIELDS = ("host", "kind", "n")


class WireError(ValueError):
    """A body the collector refuses; the message names the field and the reason."""


@dataclass(frozen=True)
class Batch:
    """A checked body: each event is a dict holding every event field, None when absent."""

    site: str
    uid: str | None
    events: list


def parse_body(body):
    """Decode and check raw request bytes; raises `WireError` with the reason."""
    return checked_batch(decoded_json(body))


def decoded_json(body):
    """Strict JSON from UTF-8 bytes: NaN, Infinity and out-of-range numbers are
    refused here because they could not be stored or sent back as JSON."""
    if not body:
        raise WireError("body is empty: expected a JSON object")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WireError(f"body is not UTF-8: invalid byte at position {error.start}") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise WireError("body is not JSON: nested too deeply") from None
    except ValueError as error:
        raise WireError(f"body is not JSON: {error}") from None


def checked_batch(data):
    """The batch in `data` if it follows the wire format exactly."""
    _check_fields(data, "body", required=BATCH_FIELDS, optional=frozenset())
    if type(data["v"]) is not int or data["v"] != WIRE_VERSION:
        raise WireError(f"v: expected {WIRE_VERSION}, the only wire version")
    site = _text(data["site"], "site", MAX_ID_LENGTH, min_length=1)
    # null: the tag's cookieless mode, counted by the collector's daily visitor hash.
    uid = None if data["uid"] is None else _text(data["uid"], "uid", MAX_ID_LENGTH, min_length=1)
    if uid is not None and not is_visitor_id(uid):
        raise WireError("uid: expected the tag's visitor id, 32 lowercase hex digits, or null")
    events = data["events"]
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_EVENTS:
        raise WireError(f"events: expected a list of 1 to {MAX_EVENTS} events")
    return Batch(site, uid, [_event(event, f"events[{i}]") for i, event in enumerate(events)])


def _event(event, path):
    if not isinstance(event, dict):
        raise WireError(f"{path}: expected an object")
    event_type = event.get("type")
    if not isinstance(event_type, str) or event_type not in REQUIRED_FIELDS_BY_TYPE:
        raise WireError(f"{path}.type: expected one of page, event, leak")
    _check_fields(
        event,
        path,
        required=REQUIRED_FIELDS_BY_TYPE[event_type],
        optional=OPTIONAL_FIELDS_BY_TYPE[event_type],
    )
    return {
        "id": _uuid(event["id"], f"{path}.id"),
        "type": event_type,
        "ts": _natural(event["ts"], f"{path}.ts"),
        "url": _text(event["url"], f"{path}.url", MAX_URL_LENGTH),
        "ref": _optional(_text, event, "ref", path, MAX_URL_LENGTH),
        "title": _optional(_text, event, "title", path, MAX_TITLE_LENGTH),
        "lang": _optional(_text, event, "lang", path, MAX_LANG_LENGTH),
        "tz": _optional(_text, event, "tz", path, MAX_TZ_LENGTH),
        "sw": _optional(_natural, event, "sw", path),
        "sh": _optional(_natural, event, "sh", path),
        "attrs": _optional(_flat_map, event, "attrs", path),
        "name": _text(event["name"], f"{path}.name", MAX_NAME_LENGTH, min_length=1) if event_type == "event" else None,
        "props": _optional(_flat_map, event, "props", path),
        "hosts": _hosts(event["hosts"], f"{path}.hosts") if event_type == "leak" else None,
    }


def _check_fields(value, path, required, optional):
    if not isinstance(value, dict):
        raise WireError(f"{path}: expected a JSON object")
    prefix = "" if path == "body" else f"{path}."
    unknown = sorted(set(value) - set(required) - optional)
    if unknown:
        raise WireError(f"{prefix}{_shown_key(unknown[0])}: unknown field")
    missing = [field for field in required if field not in value]
    if missing:
        raise WireError(f"{prefix}{missing[0]}: required")


def _optional(check, event, field, path, *limits):
    """Absent or null optional fields are both stored as NULL: JSON.stringify
    keeps nulls, and refusing them would punish a harmless tag choice."""
    value = event.get(field)
    return None if value is None else check(value, f"{path}.{field}", *limits)


def _text(value, path, max_length, min_length=0):
    if not isinstance(value, str) or not min_length <= len(value) <= max_length:
        at_least = f"at least {min_length} and " if min_length else ""
        raise WireError(f"{path}: expected a string of {at_least}at most {max_length} characters")
    if not _encodable(value):
        raise WireError(f"{path}: contains an unpaired surrogate, not valid Unicode text")
    return value


def _natural(value, path):
    if type(value) is not int or not 0 <= value <= MAX_SAFE_INTEGER:
        raise WireError(f"{path}: expected a non-negative integer up to {MAX_SAFE_INTEGER}")
    return value


def _uuid(value, path):
    if not isinstance(value, str) or not UUID_PATTERN.fullmatch(value):
        raise WireError(f"{path}: expected a UUID string like 0f8fad5b-d9cb-469f-a165-70867728950e")
    return value.lower()


def _flat_map(value, path):
    """attrs and props hold flat scalars only, so reports can show them as they are."""
    if not isinstance(value, dict) or len(value) > MAX_MAP_KEYS:
        raise WireError(f"{path}: expected an object with at most {MAX_MAP_KEYS} keys")
    for key, item in value.items():
        key_path = f"{path}.{_shown_key(key)}"
        if not 1 <= len(key) <= MAX_MAP_KEY_LENGTH or not _encodable(key):
            raise WireError(f"{key_path}: keys must be 1 to {MAX_MAP_KEY_LENGTH} characters")
        if isinstance(item, str):
            _text(item, key_path, MAX_MAP_TEXT_LENGTH)
        elif item is not None and not isinstance(item, (bool, int, float)):
            raise WireError(f"{key_path}: expected a string, number, boolean or null")
    return value


def _hosts(value, path):
    if not isinstance(value, list) or len(value) > MAX_HOSTS:
        raise WireError(f"{path}: expected a list of at most {MAX_HOSTS} hosts")
    for i, entry in enumerate(value):
        entry_path = f"{path}[{i}]"
        _check_fields(entry, entry_path, required=HOST_FIELDS, optional=frozenset())
        host = _text(entry["host"], f"{entry_path}.host", MAX_HOST_LENGTH, min_length=1)
        if not HOST_PATTERN.fullmatch(host):
            raise WireError(f"{entry_path}.host: expected a bare host name, never a URL")
        kind = _text(entry["kind"], f"{entry_path}.kind", MAX_KIND_LENGTH, min_length=1)
        if not INITIATOR_KIND_PATTERN.fullmatch(kind):
            raise WireError(f"{entry_path}.kind: expected an initiator type such as img or script")
        _natural(entry["n"], f"{entry_path}.n")
    return value


def _encodable(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown_key(key):
    """A field name fit for an error message, however long or odd it was."""
    return key if PLAIN_KEY_PATTERN.fullmatch(key) else json.dumps(key[:40])


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed")


def _finite_float(literal):
    number = float(literal)
    if not math.isfinite(number):
        raise ValueError(f"number {literal[:20]} is out of range")
    return number


def claimed_site(body):
    """The site id a body names, even one this schema refuses, if it is JSON with a string
    `site`: for the refusal's log line and count. None otherwise."""
    try:
        site = json.loads(body).get("site")
    except (ValueError, AttributeError, RecursionError):
        return None
    return site if isinstance(site, str) else None
