"""The dashboard's log-in: one password from `CANDOR_DASHBOARD_PASSWORD`, or,
when unset, one the demo generates on first run, stores in the data directory
and prints once, opens every site; a site's own `dashboardPassword` (sites file) opens
that site only. There is no default password. The session cookie is HttpOnly,
SameSite=Lax, Secure whenever the request came over https (directly, or through a proxy
trusted by CANDOR_PROXIES), and holds a random session id made at each log-in. The
session lives on the server: it ends at log-out, a working day after its log-in however
busy it was, and when the password changes."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import wraps
from pathlib import Path

import click
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from ..clock import now_ms
from ..secret_files import read_or_create
from ..storage import db
from ..web.same_origin import same_origin_only

PASSWORD_FILENAME = "dashboard-password"
SECRET_KEY_FILENAME = "session-secret-key"
SESSION_KEY = "dashboard"
SESSION_ID_KEY = "sid"
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
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    app.session_interface = SecureWhenHttpsSessionInterface()


class SecureWhenHttpsSessionInterface(SecureCookieSessionInterface):
    """The session cookie carries `Secure` whenever this request came over https."""

    def get_cookie_secure(self, app):
        return request.is_secure


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
    else those whose own password was given (and has not changed since); none once the
    session has ended on the server."""
    if not _session_alive():
        return []
    sites = current_app.config["SITES"]
    if hmac.compare_digest(session.get(SESSION_KEY, ""), _password_fingerprint()):
        return sorted(sites)
    opened = session.get(SITES_SESSION_KEY, {})
    return sorted(
        site
        for site, fingerprint in opened.items()
        if site in sites
        and "dashboardPassword" in sites[site]
        and hmac.compare_digest(fingerprint, _fingerprint(sites[site]["dashboardPassword"]))
    )


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
        _start_session()
        session[SESSION_KEY] = _password_fingerprint()
        return redirect(url_for("dashboard.dashboard_page"), 303)
    opened = {
        site: _fingerprint(settings["dashboardPassword"])
        for site, settings in current_app.config["SITES"].items()
        if "dashboardPassword" in settings and hmac.compare_digest(given, settings["dashboardPassword"].encode("utf-8"))
    }
    if not opened:
        return render_template("dashboard/login.html", failed=True), 401
    _start_session()
    session[SITES_SESSION_KEY] = opened
    return redirect(url_for("dashboard.dashboard_page", site=min(opened)), 303)


def _start_session():
    """A new session, also kept on the server, in place of whatever the cookie held."""
    session.clear()
    session_id = secrets.token_urlsafe(32)
    now = now_ms()
    db.start_dashboard_session(_hashed(session_id), now, now - _lifetime_ms())
    session.permanent = True
    session[SESSION_ID_KEY] = session_id


@bp.post("/logout")
@same_origin_only
def log_out():
    """End the session on the server too: a copy of the cookie opens nothing afterwards."""
    session_id = session.get(SESSION_ID_KEY)
    if isinstance(session_id, str):
        db.end_dashboard_session(_hashed(session_id))
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


def _session_alive():
    """The cookie's session exists on the server and began less than SESSION_LIFETIME ago."""
    session_id = session.get(SESSION_ID_KEY)
    if not isinstance(session_id, str):
        return False
    started = db.dashboard_session_started(_hashed(session_id))
    return started is not None and now_ms() - started < _lifetime_ms()


def _lifetime_ms():
    return int(SESSION_LIFETIME.total_seconds() * 1000)


def _hashed(session_id):
    """What the table keeps: a stolen database does not hold usable session ids."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()
