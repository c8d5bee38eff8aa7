"""The dashboard's log-in: one password from `CANDOR_DASHBOARD_PASSWORD`, or,
when unset, one the demo generates on first run, stores in the data directory
and prints once, opens every site; a site's own `dashboardPassword` (sites file)
opens that site only. There is no default password. The session cookie is HttpOnly,
SameSite=Lax, expires after a working day, and dies when the password changes."""

import hmac
from datetime import timedelta
from functools import wraps
from pathlib import Path

import click
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from ..secret_files import read_or_create
from ..web.same_origin import same_origin_only

PASSWORD_FILENAME = "dashboard-password"
SECRET_KEY_FILENAME = "session-secret-key"
SESSION_KEY = "dashboard"
SITES_SESSION_KEY = "dashboard_sites"
SESSION_LIFETIME = timedelta(hours=8)

bp = Blueprint("dashboard_auth", __name__, url_prefix="/dashboard", template_folder="templates")


def init_app(app):
    """Provide the password and the session key, generating them where unset."""
    data_dir = Path(app.config["DATA_DIR"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"], _ = read_or_create(data_dir / SECRET_KEY_FILENAME, nbytes=32)
    if not app.config.get("DASHBOARD_PASSWORD"):
        path = data_dir / PASSWORD_FILENAME
        app.config["DASHBOARD_PASSWORD"], created = read_or_create(path)
        if created:
            click.echo(
                f"Candor dashboard password: {app.config['DASHBOARD_PASSWORD']}"
                f" (generated once, kept in {path}; set CANDOR_DASHBOARD_PASSWORD to choose one)",
                err=True,
            )
    app.config.update(
        SESSION_COOKIE_NAME="candor_dashboard",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )


def login_required(view):
    """Send a visitor without a valid dashboard session to the log-in form."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not allowed_sites():
            return redirect(url_for("dashboard_auth.login_page"))
        return view(*args, **kwargs)

    return guarded


def allowed_sites():
    """The sites this session opens, alphabetically: all of them with the main password,
    else those whose own password was given (and has not changed since)."""
    sites = current_app.config["SITES"]
    if hmac.compare_digest(session.get(SESSION_KEY, ""), _password_fingerprint()):
        return sorted(sites)
    opened = session.get(SITES_SESSION_KEY, {})
    return sorted(site for site, fingerprint in opened.items() if site in sites
                  and "dashboardPassword" in sites[site]
                  and hmac.compare_digest(fingerprint, _fingerprint(sites[site]["dashboardPassword"])))


@bp.get("/login")
def login_page():
    return render_template("dashboard/login.html", failed=False)


@bp.post("/login")
@same_origin_only
def log_in():
    """Constant-time comparison, so the answer's timing says nothing about the password."""
    given = request.form.get("password", "").encode("utf-8")
    expected = current_app.config["DASHBOARD_PASSWORD"].encode("utf-8")
    if hmac.compare_digest(given, expected):
        session.clear()
        session.permanent = True
        session[SESSION_KEY] = _password_fingerprint()
        return redirect(url_for("dashboard.dashboard_page"), 303)
    opened = {site: _fingerprint(settings["dashboardPassword"])
              for site, settings in current_app.config["SITES"].items()
              if "dashboardPassword" in settings
              and hmac.compare_digest(given, settings["dashboardPassword"].encode("utf-8"))}
    if not opened:
        return render_template("dashboard/login.html", failed=True), 401
    session.clear()
    session.permanent = True
    session[SITES_SESSION_KEY] = opened
    return redirect(url_for("dashboard.dashboard_page", site=min(opened)), 303)


@bp.post("/logout")
@same_origin_only
def log_out():
    session.clear()
    return redirect(url_for("dashboard_auth.login_page"), 303)


def _password_fingerprint():
    return _fingerprint(current_app.config["DASHBOARD_PASSWORD"])


def _fingerprint(password):
    """What the session holds instead of a plain flag: a new password logs everyone
    out. Keyed with the app's secret, so the (readable) cookie cannot be used to
    guess the password offline."""
    return hmac.digest(
        current_app.config["SECRET_KEY"].encode("utf-8"),
        password.encode("utf-8"),
        "sha256",
    ).hex()
