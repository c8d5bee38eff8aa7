""" "My data": a visitor sees and deletes what is stored under their own
`candor_id` cookie, and nothing else. The id comes from the cookie alone, never
from the URL or a form, so knowing the page is not enough to read anyone's data:
one needs their random 128-bit id."""

from flask import Blueprint, render_template, request

from ..clock import now_seconds
from ..privacy_signals import ID_COOKIE, is_visitor_id
from ..retention import RETENTION_DAYS, window_start_ms
from ..storage import db
from ..web.caching import private
from ..web.same_origin import same_origin_only
from .choice import forget_visitor_id

bp = Blueprint("my_data", __name__, template_folder="templates")


@bp.get("/my-data")
def my_data_page():
    uid = visitor_id()
    events = db.events_for_uid(uid, window_start_ms(now_seconds())) if uid else []
    return private(render_template("visitor/my_data.html", uid=uid, events=events, retention_days=RETENTION_DAYS))


@bp.post("/my-data/delete")
@same_origin_only
def delete_my_data():
    """Delete every stored event of the caller's id, then the id cookie itself,
    so the next visit starts unlinked from everything before."""
    uid = visitor_id()
    deleted = db.delete_events_for_uid(uid) if uid else 0
    response = private(render_template("visitor/my_data_deleted.html", uid=uid, deleted=deleted))
    forget_visitor_id(response)
    return response


def visitor_id():
    """The caller's id from their own cookie, or None when there is no usable one."""
    uid = request.cookies.get(ID_COOKIE, "")
    return uid if is_visitor_id(uid) else None
