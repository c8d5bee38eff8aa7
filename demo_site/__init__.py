"""Candor's demo server: the collector, the consumer-choice pages, the
publisher's dashboard and a small publisher site that embeds the tag, built by
one factory so tests, `flask --app demo_site run` and gunicorn get the same app."""

import os
from pathlib import Path

from flask import Flask

from . import (bundle, choice, clock, collector, dashboard, dashboard_auth, db, leakage, my_data,
               publisher,
               rate_limits, retention, security_headers, settings, sites)

BLUEPRINTS = (collector, choice, my_data, dashboard_auth, dashboard, publisher, bundle, leakage)


def create_app(test_config=None):
    """Build the app from the environment's settings, with `test_config` winning,
    so a deployment needs no code edits and a test needs no environment."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings.from_environment(os.environ, app.instance_path))
    if test_config is not None:
        app.config.update(test_config)
    app.config["SITES"] = sites.checked_sites(app.config["SITES"])
    app.config["TAG_INTEGRITY"] = bundle.read_tag_integrity(Path(app.config["DIST_DIR"]))
    Path(app.config["DATA_DIR"]).mkdir(parents=True, exist_ok=True)

    app.add_template_filter(clock.utc_time)
    db.init_app(app)
    retention.init_app(app)
    dashboard_auth.init_app(app)
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)
    rate_limits.init_app(app, collector.bp, "dashboard_auth.log_in")
    security_headers.init_app(app)
    return app
