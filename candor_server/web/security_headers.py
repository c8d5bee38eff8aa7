"""Security headers on every response of the demo site's own pages: a
Content-Security-Policy without inline script (the tag needs none), framing only
by the site itself, a referrer policy that tells other sites no more than the
origin, and no MIME sniffing. A few lines of our own rather than flask-talisman,
whose last release is from 2023 and whose HTTPS redirect a local demo must turn off."""

from flask import current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "browsing-topics=()",
}


def own_content_security_policy(view):
    """Mark a view that stands for another publisher's page and sets its own policy, or none
    (the /leaky demo, which must be able to load its uninvited tracker); the other headers stay."""
    view.own_content_security_policy = True
    return view


def init_app(app):
    """Cover the blueprints registered so far, app-level routes and errors.
    Blueprints a host application adds later (pages standing for other
    publishers, say) keep whatever policy they set themselves."""
    own_blueprints = frozenset(app.blueprints)

    @app.after_request
    def add_security_headers(response):
        if request.blueprint is None or request.blueprint in own_blueprints:
            view = current_app.view_functions.get(request.endpoint or "")
            own_policy = getattr(view, "own_content_security_policy", False)
            for name, value in SECURITY_HEADERS.items():
                if not (own_policy and name == "Content-Security-Policy"):
                    response.headers.setdefault(name, value)
        return response
