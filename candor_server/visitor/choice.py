"""The consumer-choice page and the privacy policy: tell a visitor plainly what
Candor collects, why, and whether it collects from them right now, and let them
opt out or back in with a server-set cookie, which browsers keep longer than a
script-set one."""

from flask import Blueprint, redirect, render_template, request, url_for

from ..privacy_signals import ID_COOKIE, OPTOUT_COOKIE, tracking_blockers
from ..retention import RETENTION_DAYS
from ..web.same_origin import same_origin_only

OPTOUT_MAX_AGE = 34_560_000  # 400 days, the longest lifetime browsers allow
COOKIE_PATH = "/"
COOKIE_SAMESITE = "Lax"

bp = Blueprint("choice", __name__, template_folder="templates")


@bp.get("/optout")
def choice_page():
    blockers = tracking_blockers(request.headers, request.cookies)
    return render_template(
        "visitor/choice.html",
        blockers=blockers,
        opted_out="optout" in blockers,
        retention_days=RETENTION_DAYS,
    )


@bp.get("/privacy")
def privacy_policy():
    return render_template("visitor/privacy.html", retention_days=RETENTION_DAYS)


@bp.post("/optout")
@same_origin_only
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
    forget_visitor_id(response)
    return response


@bp.post("/optin")
@same_origin_only
def opt_in():
    """Remove the opt-out cookie: the visitor's own choice, made on this site."""
    response = redirect(url_for("choice.choice_page"), 303)
    response.delete_cookie(
        OPTOUT_COOKIE, path=COOKIE_PATH, samesite=COOKIE_SAMESITE, secure=request.is_secure
    )
    return response


def forget_visitor_id(response):
    """Delete the `candor_id` cookie, so later visits cannot be linked to earlier ones."""
    response.delete_cookie(
        ID_COOKIE, path=COOKIE_PATH, samesite=COOKIE_SAMESITE, secure=request.is_secure
    )
