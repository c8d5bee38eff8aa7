"""Receives the tag's beacons (CONTRACT §4): refuses what is too big, what the
visitor asked not to send, what is malformed and what comes from a foreign
page, and stores the rest exactly once.

Each function takes the request (a plain werkzeug Request) and the app's config: the
lean WSGI path (beacon_path.py) answers /collect without Flask's request machinery, and
returns what these functions decide.
"""

from tag_src.scrub import re_replace_all, scrub_event

from .. import sites
from ..clock import now_ms, now_seconds, utc_day
from ..privacy_signals import tracking_blockers
from ..storage import db
from ..web.refusals import bounded_body
from . import wire
from .browsers import browser_family
from .referrers import classify

MAX_BODY_BYTES = 32 * 1024
ACCEPTED_MIMETYPES = {"text/plain", "application/json"}


class Refused(Exception):
    """A beacon turned down: the status and the reason the client is told."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def too_large():
    return Refused(413, f"body is larger than {MAX_BODY_BYTES} bytes")


def collect_beacon(request, config):
    """The tag's `sendBeacon`: JSON sent as text/plain so no CORS preflight is needed.
    Returns the headers of the 204; raises Refused."""
    body = bounded_body(MAX_BODY_BYTES, request)
    if body is None:
        raise too_large()
    if _visitor_said_no(request):
        return {}
    if request.mimetype and request.mimetype not in ACCEPTED_MIMETYPES:
        raise Refused(400, f"Content-Type {request.mimetype} is not accepted: use text/plain or application/json")
    return _store(request, config, body)


def collect_pixel(request, config):
    """The tag's image-pixel fallback, for browsers where `sendBeacon` is missing
    or refuses: the same body, URL-encoded in the `d` query parameter."""
    body = request.args.get("d", "").encode("utf-8")
    if len(body) > MAX_BODY_BYTES:
        raise too_large()
    if _visitor_said_no(request):
        return {}
    return _store(request, config, body)


def _store(request, config, body):
    try:
        batch = wire.parse_body(body)
    except wire.WireError as error:
        raise Refused(400, str(error)) from None
    site_settings = config["SITES"].get(batch.site)
    if site_settings is None:
        raise Refused(403, f"unknown site {batch.site!r}")
    origin = request.headers.get("Origin")
    if origin is not None and not sites.origin_allowed(site_settings, origin, request.host_url):
        raise Refused(403, f"origin {origin!r} may not send for site {batch.site!r}")
    user_agent = request.headers.get("User-Agent")
    events = [_with_session_data(_scrubbed(event), user_agent) for event in batch.events]
    db.store_events(batch.site, batch.uid, events, now_ms())
    if origin is None:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def _visitor_said_no(request):
    """DNT, GPC or the opt-out cookie: store nothing, and add the refusal to the
    day's anonymous total per reason, the only trace such a request leaves."""
    reasons = tracking_blockers(request.headers, request.cookies)
    if reasons:
        db.count_optouts(utc_day(now_seconds()), reasons)
    return bool(reasons)


def _scrubbed(event):
    """PII removed again with the tag's own rules (tag_src/scrub.py): an old or
    hand-made client may not have scrubbed, and the rules must never drift apart.
    The site's `scrubParams` live in its pages only, so here the common rules apply."""
    return scrub_event(dict(event), [], re_replace_all, list)


def _with_session_data(event, user_agent):
    """The event with where the visit came from and the browser family; nothing
    is derived from the IP address, which is never stored."""
    referrer = classify(event["ref"], event["url"])
    return {
        **event,
        "ref_type": referrer.kind,
        "ref_source": referrer.source,
        "ref_terms": referrer.terms,
        "browser": browser_family(user_agent),
    }
