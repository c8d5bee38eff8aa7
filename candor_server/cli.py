"""`candor-server`: the production server under gunicorn, for a publisher who installed the
package with pip and has no repository to run commands from. Settings come from the same
`CANDOR_*` variables; a setting the server cannot start with is one line on stderr, not a
traceback from inside gunicorn."""

import argparse
import os
import sys

from gunicorn.app.base import BaseApplication

from . import create_app
from .settings import SettingsError

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_WORKERS = 2
SLOW_CLIENT_OPTIONS = {"worker_class": "gevent", "worker_connections": 1000}
"""A gevent worker serves each connection in its own greenlet, so a client that sends its body
slowly holds one greenlet, not a worker: beacons are still answered at once while 50 clients
trickle (tests/collector/test_slow_clients.py). A sync worker is held for its whole timeout."""


class CandorApplication(BaseApplication):
    """gunicorn serving an app already built (and so already checked) in the master process."""

    def __init__(self, app, options):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def main(argv=None):
    parser = argparse.ArgumentParser(prog="candor-server", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bind",
        default=os.environ.get("CANDOR_BIND", DEFAULT_BIND),
        help=f"address:port to listen on (CANDOR_BIND; default {DEFAULT_BIND})",
    )
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help=f"gunicorn worker processes (default {DEFAULT_WORKERS})")
    arguments = parser.parse_args(argv)
    try:
        app = create_app()
    except (SettingsError, ValueError) as error:
        print(f"candor-server: {error}", file=sys.stderr)
        return 2
    CandorApplication(
        app, {"bind": arguments.bind, "workers": arguments.workers, "accesslog": "-", "errorlog": "-", **SLOW_CLIENT_OPTIONS}
    ).run()
    return 0
