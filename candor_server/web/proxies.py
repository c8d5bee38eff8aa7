"""Reverse proxies in front of the server: with `PROXY_HOPS` (CANDOR_PROXY_HOPS) set to how
many there are, Werkzeug's ProxyFix reads their X-Forwarded-For/Proto/Host/Port/Prefix, so the
rate limit, the origin checks and the session cookie's `Secure` see the real client and
scheme. With 0, the default, those headers are ignored: any client could send them."""

from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app):
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
