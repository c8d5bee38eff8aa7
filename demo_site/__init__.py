"""Candor's demo server: the collector, the consumer-choice pages and a small
publisher site that embeds the tag, built by one factory so tests and
`flask --app demo_site run` get the same app."""

import os
from pathlib import Path

from flask import Flask

from . import bundle, choice, collector, db, leakage, publisher, settings, sites


def create_app(test_config=None):
    """Build the app from the environment's settings, with `test_config` winning,
    so a deployment needs no code edits and a test needs no environment."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings.from_environment(os.environ, app.instance_path))
    if test_config is not None:
        app.config.update(test_config)
    app.config["SITES"] = sites.checked_sites(app.config["SITES"])
    app.config["TAG_INTEGRITY"] = bundle.read_tag_integrity(Path(app.config["DIST_DIR"]))
    Path(app.config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    app.register_blueprint(collector.bp)
    app.register_blueprint(choice.bp)
    app.register_blueprint(publisher.bp)
    app.register_blueprint(bundle.bp)
    app.register_blueprint(leakage.bp)
    return app
