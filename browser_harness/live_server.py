"""The real demo app on a free port, with every request to the collector counted at the server."""

import io
import json
import threading
import time
from urllib.parse import parse_qs

from flask import Blueprint, send_from_directory
from werkzeug.serving import make_server

from demo_site import create_app


def poll(read, done, timeout=5.0):
    """Read until `done(value)` or until `timeout` seconds passed; return the last value.

    What a browser sends arrives a moment after the page asked for it, so tests wait for
    the outcome they expect and then assert on whatever was there.
    """
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.02)
        value = read()
    return value


class RequestLog:
    """WSGI middleware recording each request whose path starts with a prefix, before the app sees it.

    Counting here, not in the database, proves "zero requests": a request the collector
    would have refused or ignored is still counted.
    """

    SLOW_SECONDS = 5

    def __init__(self, app, prefix):
        self.app = app
        self.prefix = prefix
        self.requests = []
        self.lock = threading.Lock()
        self.fault = None
        """Test-only switch for hostile-network tests: None, "slow" (answers after 5 s) or "error" (500)."""

    def __call__(self, environ, start_response):
        if not environ["PATH_INFO"].startswith(self.prefix):
            return self.app(environ, start_response)
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")}
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        with self.lock:
            self.requests.append(
                {
                    "method": environ["REQUEST_METHOD"],
                    "path": environ["PATH_INFO"],
                    "query": environ.get("QUERY_STRING", ""),
                    "headers": headers,
                    "content_type": environ.get("CONTENT_TYPE", ""),
                    "body": body.decode("utf-8", "replace"),
                }
            )
        if self.fault == "error":
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"collector failure (test switch)"]
        if self.fault == "slow":
            time.sleep(self.SLOW_SECONDS)
        return self.app(environ, start_response)

    def clear(self):
        with self.lock:
            self.requests.clear()
        self.fault = None

    def events(self):
        """Every event in the POST bodies received so far (pixel requests carry theirs in `d`)."""
        with self.lock:
            bodies = [request["body"] or parse_qs(request["query"]).get("d", [""])[0] for request in self.requests]
        return [event for body in bodies if body for event in json.loads(body)["events"]]

    def count(self):
        with self.lock:
            return len(self.requests)

    def wait_for(self, count, timeout=5.0):
        """Wait until at least `count` requests arrived; return how many did."""
        return poll(self.count, lambda arrived: arrived >= count, timeout)


def fixture_pages(folder):
    """Plain HTML test pages from `folder`, served beside the demo site under /fixture/."""
    pages = Blueprint("fixture_pages", __name__)

    @pages.get("/fixture/<path:name>")
    def page(name):
        """Pages named *.csp.html come with a strict policy: scripts from this origin only, no inline."""
        response = send_from_directory(folder, name)
        if name.endswith(".csp.html"):
            response.headers["Content-Security-Policy"] = "script-src 'self'"
        return response

    return pages


class LiveServer:
    """The demo app, with fixture pages, served from a thread on 127.0.0.1 and a free port."""

    def __init__(self, data_dir, fixture_folder=None):
        # The whole browser suite sends far more than the default 300 beacons a minute from
        # 127.0.0.1; the rate limit has its own tests (tests/collector/test_rate_limit.py).
        self.app = create_app({"DATA_DIR": str(data_dir), "TESTING": True, "COLLECT_RATE_LIMIT": "1000000 per minute"})
        if fixture_folder is not None:
            self.app.register_blueprint(fixture_pages(fixture_folder))
        self.collect_log = RequestLog(self.app.wsgi_app, "/collect")
        self.app.wsgi_app = self.collect_log
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)
