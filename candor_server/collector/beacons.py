"""Receives the tag's beacons (CONTRACT §4): refuses what is too big, what the
visitor asked not to send, what is malformed and what comes from a foreign
page, and stores the rest exactly once."""

from collections import Counter
from urllib.parse import urlsplit

from flask import Blueprint, current_app, request

from .. import sites
from ..clock import now_ms, now_seconds, utc_day
from ..privacy_signals import tracking_blockers
from ..storage import db
from ..web.refusals import bounded_body, refuse, too_large
from . import wire
from .browsers import browser_family
from .referrers import classify
from .scrubbing import scrubbed_event, scrubbed_terms

MAX_BODY_BYTES = 32 * 1024
ACCEPTED_MIMETYPES = {"text/plain", "application/json"}
MAX_FINDING_PATH = 200

bp = Blueprint("collector", __name__)


@bp.post("/collect")
def collect_beacon():
    """The tag's `sendBeacon`: JSON sent as text/plain so no CORS preflight is needed."""
    body = bounded_body(MAX_BODY_BYTES)
    if body is None:
        return too_large(MAX_BODY_BYTES)
    if request.mimetype and request.mimetype not in ACCEPTED_MIMETYPES:
        return refuse(
            400, f"Content-Type {request.mimetype} is not accepted: use text/plain or application/json"
        )
    return _store(body)


@bp.get("/collect")
def collect_pixel():
    """The tag's image-pixel fallback, for browsers where `sendBeacon` is missing
    or refuses: the same body, URL-encoded in the `d` query parameter."""
    body = request.args.get("d", "").encode("utf-8")
    if len(body) > MAX_BODY_BYTES:
        return too_large(MAX_BODY_BYTES)
    return _store(body)


@bp.after_request
def never_cache(response):
    """A cached pixel would silently drop the next identical beacon."""
    response.cache_control.no_store = True
    return response


def _store(body):
    try:
        batch = wire.parse_body(body)
    except wire.WireError as error:
        return refuse(400, str(error))
    site_settings = current_app.config["SITES"].get(batch.site)
    if site_settings is None:
        return refuse(403, f"unknown site {batch.site!r}")
    origin = request.headers.get("Origin")
    if origin is not None and not sites.origin_allowed(site_settings, origin, request.host_url):
        return refuse(403, f"origin {origin!r} may not send for site {batch.site!r}")
    if _visitor_said_no():
        return _no_content()
    user_agent = request.headers.get("User-Agent")
    findings: Counter[tuple[str, str, str]] = Counter()
    events = [_with_session_data(event, user_agent, findings) for event in batch.events]
    db.store_events(batch.site, batch.uid, events, now_ms())
    if findings:
        db.count_scrub_findings(batch.site, utc_day(now_seconds()), findings)
    response = _no_content()
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    return response


def _visitor_said_no():
    """DNT, GPC or the opt-out cookie: store nothing, and add the refusal to the
    day's anonymous total per reason, the only trace such a request leaves. Asked
    only once the beacon is well formed, for a known site, from an origin it allows,
    so junk or a foreign page cannot inflate "Visitors who said no"."""
    reasons = tracking_blockers(request.headers, request.cookies)
    if reasons:
        db.count_optouts(utc_day(now_seconds()), reasons)
    return bool(reasons)


def _with_session_data(event, user_agent, findings):
    """The event scrubbed (scrubbing.py: an old or hand-made client may not have
    scrubbed), with where the visit came from and the browser family; nothing is
    derived from the IP address, which is never stored. What was scrubbed is added to
    `findings`, counted per (page path, field, kind)."""
    event, found = scrubbed_event(event)
    referrer = classify(event["ref"], event["url"])
    terms = scrubbed_terms(referrer.terms, found)
    path = _page_path(event["url"])
    findings.update((path, field, kind) for field, kind in found)
    return {
        **event,
        "ref_type": referrer.kind,
        "ref_source": referrer.source,
        "ref_terms": terms,
        "browser": browser_family(user_agent),
    }


def _page_path(url):
    """The (scrubbed) page's path, under which the dashboard tells the publisher what was found."""
    try:
        return urlsplit(url).path[:MAX_FINDING_PATH] or "/"
    except ValueError:
        return "/"


def _no_content():
    return current_app.response_class(status=204)


