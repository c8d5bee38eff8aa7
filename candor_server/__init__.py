"""Candor's server: the collector for the tag's beacons, the visitor's choice and data
pages, and the publisher's dashboard with its leakage report, built by one factory.

    gunicorn "candor_server:create_app()"     # or: candor-server

It refuses to start without a sites file (`CANDOR_SITES`); the demo newspaper
(`demo_site`) builds on this same factory with a sites default of its own.
"""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import clock, rate_limits, retention, settings, sites
from .collector import bundle, csp_endpoint, refused_beacons
from .collector.beacon_path import BeaconPath
from .dashboard import auth as dashboard_auth
from .dashboard import leakage, rollups, stats_api
from .dashboard import views as dashboard
from .storage import db
from .visitor import choice, my_data, my_data_api
from .web import body_framing, security_headers

BLUEPRINTS = (csp_endpoint.bp, bundle.bp, choice.bp, my_data.bp, my_data_api.bp, dashboard_auth.bp, dashboard.bp, leakage.bp, stats_api.bp)


def create_app(test_config=None, *, default_sites=None, extra_blueprints=()):
    """Build the app from the environment's settings, with `test_config` winning, so a
    deployment needs no code edits and a test needs no environment. `extra_blueprints`
    (the demo's pages) are served with the same security headers as the server's own."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings.from_environment(os.environ, app.instance_path, default_sites))
    if test_config is not None:
        app.config.update(test_config)
    if app.config["SITES"] is None:
        raise settings.SettingsError(
            'CANDOR_SITES is not set: name a sites file such as {"news": {"origins": ["https://www.news.example"]}}'
        )
    try:
        app.config["SITES"] = sites.checked_sites(app.config["SITES"])
    except ValueError as error:
        raise settings.SettingsError(f"CANDOR_SITES: {error}") from None
    app.config["TAG_INTEGRITY"] = bundle.read_tag_integrity(Path(app.config["DIST_DIR"]))
    app.config["CHOICE_INTEGRITY"] = bundle.read_tag_integrity(Path(app.config["DIST_DIR"]), bundle.CHOICE_INTEGRITY_FILENAME)
    Path(app.config["DATA_DIR"]).mkdir(parents=True, exist_ok=True)

    app.add_template_filter(clock.utc_time)
    db.init_app(app)
    retention.init_app(app)
    rollups.init_app(app)
    dashboard_auth.init_app(app)
    refused_beacons.init_app(app)
    for blueprint in (*BLUEPRINTS, *extra_blueprints):
        app.register_blueprint(blueprint)
    rate_limits.init_app(app, "dashboard_auth.log_in", stats_api.bp, stats_api.token_rate_limit_key)
    security_headers.init_app(app)
    app.wsgi_app = BeaconPath(app)  # type: ignore[method-assign]  # Flask's way to add WSGI middleware
    body_framing.init_app(app)
    trust_proxies(app)
    return app


def trust_proxies(app):
    """Behind `PROXIES` reverse proxies, take the client's address, scheme, host and port from
    their `X-Forwarded-*` headers, and the path prefix from `X-Forwarded-Prefix`, so every link,
    form action and policy URL carries the prefix the proxy strips (`/candor/optout`)."""
    hops = app.config["PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
