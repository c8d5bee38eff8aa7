"""The visitor's own data as JSON, for the choice element on a publisher's page
(`<div data-candor-choice>`, CONTRACT.md §1): the same records and the same deletion as /my-data.

On another site than the publisher's, the collector never sees its own cookies from the
publisher's page (third-party cookies are not relied on), so the page sends the id from its
own first-party `candor_id` cookie. Only a page whose `Origin` the named site allows is
answered, and only that origin may read the answer (CORS): another site's page cannot ask for
anyone's data, and the id itself is the visitor's random 128-bit secret, as on /my-data.
Bodies are text/plain JSON, so no CORS preflight is needed."""

import json

from flask import Blueprint, current_app, jsonify, request

from ..clock import now_seconds
from ..collector.wire import MAX_ID_LENGTH
from ..retention import RETENTION_DAYS, window_start_ms
from ..sites import origin_allowed
from ..storage import db
from ..web.caching import private
from ..web.refusals import bounded_body, refuse

MAX_BODY_BYTES = 1024

bp = Blueprint("my_data_api", __name__)


@bp.post("/my-data.json")
def my_data_json():
    asked = _checked_request()
    if not isinstance(asked, str):
        return asked
    events = db.events_for_uid(asked, window_start_ms(now_seconds()))
    return _for_sender(jsonify(events=events, retentionDays=RETENTION_DAYS))


@bp.post("/my-data/delete.json")
def delete_my_data_json():
    """Delete every stored event of the caller's id; the page then forgets the id cookie."""
    asked = _checked_request()
    if not isinstance(asked, str):
        return asked
    return _for_sender(jsonify(deleted=db.delete_events_for_uid(asked)))


def _checked_request():
    """The visitor id asked about, or the refusal: a body `{"site": ..., "uid": ...}` from a
    page whose Origin that site allows."""
    try:
        body = json.loads(bounded_body(MAX_BODY_BYTES) or b"")
    except ValueError:
        return refuse(400, 'body: expected JSON {"site": "...", "uid": "..."} under 1 KiB')
    site = body.get("site") if isinstance(body, dict) else None
    uid = body.get("uid") if isinstance(body, dict) else None
    if not isinstance(uid, str) or not 1 <= len(uid) <= MAX_ID_LENGTH:
        return refuse(400, f"uid: expected the candor_id cookie's value, 1 to {MAX_ID_LENGTH} characters")
    site_settings = current_app.config["SITES"].get(site) if isinstance(site, str) else None
    if site_settings is None:
        return refuse(403, "site: not a site this collector knows")
    origin = request.headers.get("Origin")
    if origin is None or not origin_allowed(site_settings, origin, request.host_url):
        return refuse(403, f"only a page of site {site!r} may ask, with its Origin")
    return uid


def _for_sender(response):
    """Readable by the page that asked (its origin was checked), kept by no cache."""
    response = private(response)
    response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    response.vary.add("Origin")
    return response
