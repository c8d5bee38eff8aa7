"""What the collector keeps of an event: every field a beacon carries goes through the
collector's pass of the shared rulebook (`tag_src/scrub.py`, `scrub_for_storage`): texts,
the event name, attrs/props keys and values, numbers included; `lang` and `tz` are kept
only in their own formats. What was found is returned per field, so the dashboard can tell
the publisher which pages pass personal data."""

import re

from tag_src.scrub import scrub_for_storage

TEXT_FIELDS = ("url", "ref", "title", "name")
MAP_FIELDS = ("attrs", "props")
# BCP 47 as browsers report navigator.language: en, en-US, zh-Hant-TW, es-419.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}")
# IANA zone names as Intl reports them: UTC, Europe/Paris, America/Argentina/Buenos_Aires, Etc/GMT+5.
TIME_ZONE = re.compile(r"[A-Za-z][A-Za-z_]*(?:/[A-Za-z][A-Za-z0-9_+-]*){0,2}")


def scrubbed_event(event):
    """(the event as it may be stored, [(field, kind), ...] for each piece of personal data
    found in it, by the tag or here)."""
    findings: list[tuple[str, str]] = []
    clean = dict(event)
    for field in TEXT_FIELDS:
        clean[field] = _scrubbed_value(event[field], field, findings)
    for field in MAP_FIELDS:
        if event[field]:
            clean[field] = {
                _scrubbed_value(key, field, findings): _scrubbed_value(value, field, findings) for key, value in event[field].items()
            }
    clean["lang"] = _in_format(event["lang"], LANGUAGE_TAG)
    clean["tz"] = _in_format(event["tz"], TIME_ZONE)
    return clean, findings


def scrubbed_terms(terms, findings):
    """Search terms, decoded from the referrer by the collector, scrubbed as they will be shown."""
    return _scrubbed_value(terms, "ref", findings)


def _scrubbed_value(value, field, findings):
    """A string scrubbed; a number scrubbed as its digits (`"card": 4111111111111111`) and
    replaced by the label when it held personal data; booleans and null as they are."""
    if isinstance(value, bool) or value is None:
        return value
    kinds: list[str] = []
    if isinstance(value, str):
        result = scrub_for_storage(value, kinds)
    else:
        digits = str(int(value)) if float(value).is_integer() else repr(value)
        scrubbed = scrub_for_storage(digits, kinds)
        result = value if scrubbed == digits else scrubbed
    findings.extend((field, kind) for kind in kinds)
    return result


def _in_format(value, pattern):
    return value if value is not None and pattern.fullmatch(value) else None
