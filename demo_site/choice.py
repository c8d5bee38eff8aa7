"""The consumer-choice page: tells a visitor plainly what Candor collects and
whether it collects from them right now, and lets them opt out or back in with a
server-set cookie, which browsers keep longer than a script-set one."""

from flask import Blueprint, abort, redirect, render_template, request, url_for

from .signals import ID_COOKIE, OPTOUT_COOKIE, tracking_blockers
from .sites import same_origin

OPTOUT_MAX_AGE = 34_560_000  # 400 days, the longest lifetime browsers allow
COOKIE_PATH = "/"
COOKIE_SAMESITE = "Lax"

bp = Blueprint("choice", __name__)


@bp.get("/optout")
def choice_page():
    blockers = tracking_blockers(request.headers, request.cookies)
    return render_template("choice.html", blockers=blockers, opted_out="optout" in blockers)


@bp.post("/optout")
def opt_out():
    """Set the opt-out cookie and forget the visitor's random id at once."""
    response = redirect(url_for("choice.choice_page"), 303)
    response.set_cookie(
        OPTOUT_COOKIE,
        "1",
        max_age=OPTOUT_MAX_AGE,
        path=COOKIE_PATH,
        samesite=COOKIE_SAMESITE,
        secure=request.is_secure,
    )
    response.delete_cookie(
        ID_COOKIE, path=COOKIE_PATH, samesite=COOKIE_SAMESITE, secure=request.is_secure
    )
    return response


@bp.post("/optin")
def opt_in():
    """Remove the opt-out cookie. Only a form on this site may do it: opting out
    from anywhere only ever protects the visitor, opting back in must be their
    own choice, not a cross-site form's."""
    origin = request.headers.get("Origin")
    if origin is not None and not same_origin(origin, request.host_url):
        abort(403)
    response = redirect(url_for("choice.choice_page"), 303)
    response.delete_cookie(
        OPTOUT_COOKIE, path=COOKIE_PATH, samesite=COOKIE_SAMESITE, secure=request.is_secure
    )
    return response
