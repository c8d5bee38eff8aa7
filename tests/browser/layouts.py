"""The three deployment layouts of CONTRACT.md §5, served for real browsers on names every engine
resolves to loopback (*.localhost, BROWSERS.md):

- first-party path: the publisher's pages at http://www.news.localhost:P, the collector under
  /candor/ of that same origin through a reverse proxy in this process that strips the prefix
  and sends X-Forwarded-Prefix (and the other X-Forwarded-* headers) to a collector that trusts
  one proxy (CANDOR_PROXIES=1);
- same-site subdomain: the collector at http://stats.news.localhost:C;
- another site: the collector at http://analytics.localhost:C, the tag loaded from it with SRI.

One static publisher server (port P) answers every host name; cookies ignore ports, so a test
cleans the cookies of each host name through it. Every request to a collector's /collect is
counted before the app sees it (browser_harness.live_server.RequestLog).
"""
import http.client
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response
from werkzeug.serving import make_server

from browser_harness.live_server import RequestLog
from candor_server import create_app
from candor_server.storage import db

DIST = Path(__file__).resolve().parents[2] / "dist"
SITE = "news"
PREFIX = "/candor"
HOSTS = ("www.news.localhost", "stats.news.localhost", "analytics.localhost", "evil.localhost")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}


class ThreadedServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


class Collector:
    """candor_server as deployed: a sites file naming the publisher's origin, its own database."""

    def __init__(self, data_dir, site_origin, proxies):
        self.app = create_app({"DATA_DIR": str(data_dir), "TESTING": True,
                               "SITES": {SITE: {"origins": [site_origin]}}, "DIST_DIR": DIST,
                               "COLLECT_RATE_LIMIT": "1000000 per minute", "PROXIES": proxies,
                               "DASHBOARD_PASSWORD": "layout tests only"})
        self.collect_log = RequestLog(self.app.wsgi_app, "/collect")
        self.app.wsgi_app = self.collect_log
        self.http = ThreadedServer(self.app)

    def events(self, uid=None):
        with self.app.app_context():
            return [event for event in db.events_for_site(SITE) if uid is None or event["uid"] == uid]

    def delete_all(self):
        with self.app.app_context():
            for uid in {event["uid"] for event in db.events_for_site(SITE)}:
                db.delete_events_for_uid(uid)


def reverse_proxy(app_wsgi, prefix, upstream_port):
    """What nginx's `location /candor/ { proxy_pass http://collector/; ... }` does: requests under
    `prefix` go to the upstream without it, with X-Forwarded-For/-Proto/-Host/-Prefix."""
    def proxy(environ, start_response):
        path = environ["PATH_INFO"]
        if not path.startswith(prefix + "/"):
            return app_wsgi(environ, start_response)
        query = environ.get("QUERY_STRING")
        target = path[len(prefix):] + ("?" + query if query else "")
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items()
                   if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in HOP_BY_HOP}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers.update({"X-Forwarded-For": environ.get("REMOTE_ADDR", ""), "X-Forwarded-Proto": "http",
                        "X-Forwarded-Host": environ["HTTP_HOST"], "X-Forwarded-Prefix": prefix,
                        "Content-Length": str(len(body))})
        connection = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
        try:
            connection.request(environ["REQUEST_METHOD"], target, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            kept = [(name, value) for name, value in answer.getheaders() if name.lower() not in HOP_BY_HOP
                    and name.lower() != "content-length"]
            start_response(f"{answer.status} {answer.reason}", kept + [("Content-Length", str(len(content)))])
            return [content]
        finally:
            connection.close()
    return proxy


@dataclass
class Layout:
    """One layout as the browser sees it."""

    name: str
    site_origin: str
    collector_base: str
    collector: Collector
    tag_from_collector: bool

    def page(self, path, marker=""):
        return f"{self.site_origin}/{self.name}/{path}?run={marker}"

    @property
    def collector_choice_page(self):
        return self.collector_base + "/optout"

    @property
    def collector_data_page(self):
        return self.collector_base + "/my-data"


def integrity(name):
    return (DIST / f"{name}.min.js.sri").read_text().strip()


def script_tags(layout, choice):
    """The publisher's snippet for this layout: the tag served by the publisher itself, or by the
    collector with SRI and crossorigin; the privacy page adds the companion the same way."""
    base = layout.collector_base if layout.tag_from_collector else ""
    cors = ' crossorigin="anonymous"' if layout.tag_from_collector else ""
    tags = (f'<script async src="{base}/candor.min.js" data-site="{SITE}" data-collector="{layout.collector_base}/collect"'
            f' integrity="{integrity("candor")}"{cors}></script>')
    if choice:
        tags += f'\n<script async src="{base}/candor-choice.min.js" integrity="{integrity("candor-choice")}"{cors}></script>'
    return tags


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
{scripts}
</head><body><h1>{title}</h1>{body}</body></html>"""


def publisher_app(layouts):
    """The static publisher: for each layout a story page and a privacy page with the choice
    element; /blank on every host name; the bundle files, as a publisher hosting them would."""
    app = Flask(__name__)
    by_name = {layout.name: layout for layout in layouts}

    @app.get("/blank")
    def blank():
        return "<!doctype html><title>blank</title><p>blank</p>"

    @app.get("/<layout_name>/story.html")
    def story(layout_name):
        layout = by_name[layout_name]
        return PAGE.format(title="A story", scripts=script_tags(layout, choice=False), body="<p>News.</p>")

    @app.get("/<layout_name>/privacy.html")
    def privacy(layout_name):
        layout = by_name[layout_name]
        return PAGE.format(title="Privacy", scripts=script_tags(layout, choice=True),
                           body="<div data-candor-choice></div>")

    @app.get("/<layout_name>/misconfigured.html")
    def misconfigured(layout_name):
        """The tag without data-site, after a script that keeps what reaches console.warn."""
        layout = by_name[layout_name]
        capture = ("<script>window.warnings = []; var warn = console.warn; console.warn = function (text) {"
                   " warnings.push(String(text)); warn.apply(console, arguments); };</script>")
        tag = script_tags(layout, choice=False).replace(f' data-site="{SITE}"', "")
        return PAGE.format(title="Misconfigured", scripts=capture + tag, body="<p>No data-site.</p>")

    @app.get("/<layout_name>/forge.html")
    def forge(layout_name):
        """A page that is not the news site's, trying to store events as it (served on evil.localhost)."""
        return PAGE.format(title="Forger", scripts="", body="<p>forger</p>")

    @app.get("/<name>")
    def bundle_file(name):
        if name not in ("candor.min.js", "candor-choice.min.js"):
            return Response("not found", 404)
        return Response((DIST / name).read_bytes(), mimetype="text/javascript")

    return app


class Layouts:
    """The three layouts, their servers started once for the session."""

    def __init__(self, data_dir):
        self.publisher_app = None
        self.publisher = None
        placeholder = publisher_app([])
        # The publisher's port is needed by the collectors' sites files: bind it first.
        self.publisher = ThreadedServer(placeholder)
        port = self.publisher.port
        site_origin = f"http://www.news.localhost:{port}"
        self.proxied = Collector(Path(data_dir) / "proxied", site_origin, proxies=1)
        self.direct = Collector(Path(data_dir) / "direct", site_origin, proxies=0)
        self.by_name = {
            "first-party": Layout("first-party", site_origin, site_origin + PREFIX, self.proxied, False),
            "same-site": Layout("same-site", site_origin, f"http://stats.news.localhost:{self.direct.http.port}",
                                self.direct, False),
            "another-site": Layout("another-site", site_origin, f"http://analytics.localhost:{self.direct.http.port}",
                                   self.direct, True),
        }
        app = publisher_app(self.by_name.values())
        app.wsgi_app = reverse_proxy(app.wsgi_app, PREFIX, self.proxied.http.port)
        self.publisher.server.app = app
        self.port = port

    def clean(self, driver):
        """No cookie on any host name, nothing stored, nothing counted."""
        for host in HOSTS:
            driver.get(f"http://{host}:{self.port}/blank")
            driver.delete_all_cookies()
        for collector in (self.proxied, self.direct):
            collector.delete_all()
            collector.collect_log.clear()

    def stop(self):
        for server in (self.publisher, self.proxied.http, self.direct.http):
            server.stop()
