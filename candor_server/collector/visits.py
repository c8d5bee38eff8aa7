"""Visits, as the dashboard counts them: a visitor's events (page views and custom
events, not leak reports) belong to one visit until 30 minutes pass without one.
Visits are formed as beacons arrive, by the server's clock, and keep what the
dashboard groups them by: where the visit came from and on what kind of device,
read from its first event. Nothing here comes from the IP address."""

import hashlib

from .campaigns import campaign_of, channel_of, page_path, source_of
from .countries import country_of_time_zone
from .devices import device_of, screen_class

VISIT_GAP_MS = 30 * 60 * 1000
COUNTED_TYPES = frozenset({"page", "event"})
MAX_LANGUAGE_LENGTH = 35


def visitor_key(uid):
    """A 60-bit integer standing for the visitor id in counts of distinct visitors, which
    SQL does several times faster on integers than on 32-character strings. Two ids share
    a key with odds of about one in a million among a billion visitors."""
    return int(hashlib.sha256(uid.encode("utf-8")).hexdigest()[:15], 16)


def continues(last_event_ms, at_ms):
    """Whether an event at `at_ms` still belongs to a visit whose last event was at
    `last_event_ms`: less than 30 minutes without an event."""
    return at_ms - last_event_ms < VISIT_GAP_MS


def entry_facts(event, referrer, user_agent):
    """What a visit is grouped by, from the event that opened it and the request's
    User-Agent: entry page, source and channel, campaign, device, screen, language
    and the country of the browser's time zone."""
    campaign = campaign_of(event["url"])
    device = device_of(user_agent)
    return {
        "entry_path": page_path(event["url"]),
        "source": source_of(referrer),
        "channel": channel_of(referrer, campaign),
        "ref_terms": referrer.terms,
        **{parameter: campaign.get(parameter) for parameter in ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")},
        "browser": device.browser,
        "os": device.os,
        "device": device.kind,
        "screen": screen_class(event.get("sw")),
        "lang": (event.get("lang") or "")[:MAX_LANGUAGE_LENGTH] or None,
        "country": country_of_time_zone(event.get("tz")),
    }
