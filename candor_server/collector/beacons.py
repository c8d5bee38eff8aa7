"""Receives the tag's beacons (CONTRACT.md §4): refuses what is too big, what the
visitor asked not to send, what is malformed and what comes from a foreign
page, and stores the rest exactly once. Every refusal is logged with its reason
(refused_beacons); a page the site allows may read the answer, so the tag can name
the reason in the console, and a foreign page learns nothing.

Each function takes the request (a plain werkzeug Request) and runs in an app context: the lean
WSGI path (beacon_path.py) answers /collect without Flask's request machinery."""

from collections import Counter
from urllib.parse import urlsplit

from flask import current_app

from .. import sites
from ..clock import now_ms, now_seconds, utc_day
from ..privacy_signals import tracking_blockers
from ..storage import db
from ..web.refusals import bounded_body, refuse, too_large
from . import visits, wire
from .campaigns import page_path
from .daily_visitors import daily_visitor_id, salt_of_the_day
from .devices import device_of
from .referrers import classify
from .refused_beacons import record_refusal
from .scrubbing import scrubbed_event, scrubbed_terms

MAX_BODY_BYTES = 32 * 1024
ACCEPTED_MIMETYPES = {"text/plain", "application/json"}
MAX_FINDING_PATH = 200

MAX_SITE_PEEK_BYTES = 32 * 1024
"""How much of a rate-limited beacon is read to learn its site: the collector's own limit."""


def collect_beacon(request):
    """The tag's `sendBeacon`: JSON sent as text/plain so no CORS preflight is needed."""
    body = bounded_body(MAX_BODY_BYTES, request)
    if body is None:
        return _refused(request, 413, "size", None, too_large(MAX_BODY_BYTES))
    if request.mimetype and request.mimetype not in ACCEPTED_MIMETYPES:
        message = f"Content-Type {request.mimetype} is not accepted: use text/plain or application/json"
        return _refused(request, 400, "schema", wire.claimed_site(body), refuse(400, message))
    return _store(request, body)


def collect_pixel(request):
    """The tag's image-pixel fallback, for browsers where `sendBeacon` is missing
    or refuses: the same body, URL-encoded in the `d` query parameter."""
    body = request.args.get("d", "").encode("utf-8")
    if len(body) > MAX_BODY_BYTES:
        return _refused(request, 413, "size", None, too_large(MAX_BODY_BYTES))
    return _store(request, body)


def rate_limited(request, limit):
    """The 429 for a request over the collector's budget, logged like every other refused
    beacon, under the site it names."""
    body = request.args.get("d") if request.method == "GET" else bounded_body(MAX_SITE_PEEK_BYTES, request)
    record_refusal(429, "rate_limit", wire.claimed_site(body) if body else None)
    return current_app.make_response(refuse(429, f"rate limited: more than {limit} from this address"))


def _store(request, body):
    try:
        batch = wire.parse_body(body)
    except wire.WireError as error:
        return _refused(request, 400, "schema", wire.claimed_site(body), refuse(400, str(error)))
    site_settings = current_app.config["SITES"].get(batch.site)
    if site_settings is None:
        return _refused(request, 403, "unknown_site", batch.site, refuse(403, f"unknown site {batch.site!r}"))
    origin = sending_page_origin(request)
    if origin is None and request.method == "GET" and site_settings["origins"]:
        message = (
            f"a pixel with neither Origin nor Referer cannot send for site {batch.site!r}, "
            "which lists its origins: keep the Referer (its origin is enough)"
        )
        return _refused(request, 403, "origin", batch.site, refuse(403, message), "none")
    if origin is not None and not sites.origin_allowed(site_settings, origin, request.host_url):
        message = f"origin {origin!r} may not send for site {batch.site!r}"
        return _refused(request, 403, "origin", batch.site, refuse(403, message), origin)
    if _visitor_said_no(request, batch.site):
        return _no_content()
    user_agent = request.headers.get("User-Agent")
    findings: Counter[tuple[str, str, str]] = Counter()
    events, facts = with_session_data(batch.events, user_agent, findings)
    uid = batch.uid
    if uid is None:
        salt = salt_of_the_day(utc_day(now_seconds()))
        uid = daily_visitor_id(salt, batch.site, user_agent, request.remote_addr)
    db.store_events(batch.site, uid, events, now_ms(), facts)
    if findings:
        db.count_scrub_findings(batch.site, utc_day(now_seconds()), findings)
    return readable_by_sender(request, _no_content(), batch.site)


def _refused(request, status, reason, site, answer, origin=None):
    """A refusal, logged with its reason; `answer` is the (body, status) refuse() made."""
    record_refusal(status, reason, site, origin)
    return readable_by_sender(request, current_app.make_response(answer), site)


def readable_by_sender(request, response, site):
    """Let the page that sent the request read the answer when `site` allows its origin: the
    tag can then show a refusal's reason, while a foreign page learns nothing."""
    origin = request.headers.get("Origin")
    site_settings = current_app.config["SITES"].get(site) if isinstance(site, str) else None
    if origin is not None and site_settings and sites.origin_allowed(site_settings, origin, request.host_url):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    return response


def sending_page_origin(request):
    """The origin of the page that sent this request: its `Origin` header, or for the image
    pixel (a GET, which carries no `Origin`) the origin of its `Referer`; None when neither."""
    origin = request.headers.get("Origin")
    if origin is not None or request.method != "GET":
        return origin
    try:
        referrer = urlsplit(request.headers.get("Referer", ""))
    except ValueError:  # "http://[::1" and the like: no origin to be had
        return None
    if referrer.scheme and referrer.netloc:
        return f"{referrer.scheme}://{referrer.netloc}"
    return None


def _visitor_said_no(request, site):
    """DNT, GPC or the opt-out cookie: store nothing, and add the refusal to the
    day's anonymous total per site and reason, the only trace such a request leaves. Asked
    only once the beacon is well formed, for a known site, from an origin it allows,
    so junk or a foreign page cannot inflate "Visitors who said no"."""
    reasons = tracking_blockers(request.headers, request.cookies)
    if reasons:
        db.count_optouts(utc_day(now_seconds()), site, reasons)
    return bool(reasons)


def with_session_data(events, user_agent, findings):
    """(the events scrubbed, with their session columns; the facts a visit they open is
    grouped by, read from the first page view or custom event)."""
    browser = device_of(user_agent).browser
    events = [_with_session_columns(event, browser, findings) for event in events]
    opening = next((event for event in events if event["type"] in visits.COUNTED_TYPES), None)
    facts = opening and visits.entry_facts(opening, classify(opening["ref"], opening["url"]), user_agent)
    return events, facts


def _with_session_columns(event, browser, findings):
    """The event scrubbed (scrubbing.py: an old or hand-made client may not have
    scrubbed), with where the visit came from, the browser family and the page path;
    nothing is derived from the IP address, which is never stored. What was scrubbed is
    added to `findings`, counted per (page path, field, kind)."""
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
        "browser": browser,
        "path": page_path(event["url"]),
    }


def _page_path(url):
    """The (scrubbed) page's path, under which the dashboard tells the publisher what was found."""
    try:
        return urlsplit(url).path[:MAX_FINDING_PATH] or "/"
    except ValueError:
        return "/"


def _no_content():
    return current_app.response_class(status=204)
