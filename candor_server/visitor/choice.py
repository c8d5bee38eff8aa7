"""The consumer-choice page and the privacy policy: tell a visitor plainly what
Candor collects, why, and whether it collects from them right now, and let them
opt out or back in with a server-set cookie, which browsers keep longer than a
script-set one."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ..domains import is_ip, registrable_domain
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
        origins_elsewhere=origins_on_other_sites(),
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
        domain=shared_cookie_domain(),
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
    delete_everywhere(response, OPTOUT_COOKIE)
    return response


def forget_visitor_id(response):
    """Delete the `candor_id` cookie, so later visits cannot be linked to earlier ones."""
    delete_everywhere(response, ID_COOKIE)


def delete_everywhere(response, name):
    """Expire a cookie host-only and on the registrable domain: the tag (`cookieDomain: 'auto'`),
    this server or an older page may have set either. A browser ignores a deletion for a domain
    it would not accept."""
    host = collector_host()
    parent = None if is_ip(host) or registrable_domain(host) == host else registrable_domain(host)
    for domain in {None, parent, shared_cookie_domain()}:
        response.delete_cookie(name, path=COOKIE_PATH, domain=domain, samesite=COOKIE_SAMESITE, secure=request.is_secure)


def collector_host():
    """This request's host name, without port (IPv6 without brackets)."""
    return urlsplit("//" + request.host).hostname or ""


def shared_cookie_domain():
    """The registrable domain (Public Suffix List) of this collector's host when a site's pages
    are on it too (`stats.news.example` beside `www.news.example`, or the site's own host when
    reached through its reverse proxy), so the tag on the site and this page see one opt-out.
    None (a host-only cookie) otherwise: an IP address, another site, or a host that is its
    own registrable domain and serves the site's pages itself."""
    host = collector_host()
    if is_ip(host):
        return None
    domain = registrable_domain(host)
    for settings in current_app.config["SITES"].values():
        for origin in settings["origins"]:
            page_host = host if origin == "self" else urlsplit(origin).hostname
            if registrable_domain(page_host) == domain and (page_host != host or domain != host):
                return domain
    return None


def origins_on_other_sites():
    """Sites' page origins on another site than this collector: a choice made here never
    reaches their pages (their cookies are theirs), so this page names where it is made."""
    domain = registrable_domain(collector_host())
    return sorted(
        {
            origin
            for settings in current_app.config["SITES"].values()
            for origin in settings["origins"]
            if origin != "self" and registrable_domain(urlsplit(origin).hostname) != domain
        }
    )
