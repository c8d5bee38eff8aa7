"""Each tag as a site installs it, for the side-by-side runtime bench (bench/page_cost.py).

One classic script per tag, loaded `<script async>` from the page's own origin: the library a
site would load (the file bench/sizes.py weighs) plus the few lines a site writes to start it
and count the page view, all sent to the bench's stub collector (`/stub/<tag>`). The bench
wraps the whole file in the probe's enter()/leave() (pages/probe.js), so the file's own run and
every callback it schedules count as the tag's main-thread time.
"""
import re
from dataclasses import dataclass

from .sizes import CANDOR_BUNDLE, PEER_MODULES

STUB = "/stub/"


@dataclass(frozen=True)
class Install:
    """How a site puts one tag on its pages; `attributes` go on the <script> element."""
    name: str
    library: object
    before: str = ""
    after: str = ""
    attributes: str = ""
    note: str = ""

    def script(self):
        """The library and the site's own lines, as one classic script."""
        library = self.library() if callable(self.library) else self.library.read_text(encoding="utf-8")
        return "\n".join(part for part in (self.before, library, self.after) if part)


ES_MODULE_EXPORT = re.compile(r"^export\s*\{[^}]*\}\s*;?\s*$", re.MULTILINE)


def plausible_as_classic_script():
    """Plausible's npm tracker is an ES module a site bundles: its code in a function scope,
    without the export line, is what a bundler emits for it."""
    module = (PEER_MODULES / "@plausible-analytics/tracker" / "plausible.js").read_text(encoding="utf-8")
    if not ES_MODULE_EXPORT.search(module):
        raise RuntimeError("plausible.js no longer ends with an export list: update bench/installs.py")
    return "(function () {\n'use strict';\n" + ES_MODULE_EXPORT.sub("", module) + (
        "\ninit({domain: 'bench.example', endpoint: '/stub/plausible', captureOnLocalhost: true, logging: false});"
        "\n})();")


INSTALLS = (
    Install("Candor", CANDOR_BUNDLE, attributes=f'data-site="bench" data-collector="{STUB}candor"',
            note="dist/candor.min.js with its data-* attributes; counts the page view by itself"),
    Install("Plausible", plausible_as_classic_script,
            note="plausible.js (npm 0.4.6) as a bundler emits it, then init() with auto page views"),
    Install("Snowplow", PEER_MODULES / "@snowplow" / "browser-tracker" / "dist" / "index.umd.min.js",
            after="snowplowBrowserTracking.newTracker('sp', location.origin, "
                  "{appId: 'bench', postPath: '/stub/snowplow'});\nsnowplowBrowserTracking.trackPageView();",
            note="index.umd.min.js, then newTracker() and trackPageView(), POST to the stub"),
    Install("Mixpanel", PEER_MODULES / "mixpanel-browser" / "dist" / "mixpanel.min.js",
            before="(function (m) { m._i = [['bench-token', {api_host: location.origin + '/stub/mixpanel', "
                   "track_pageview: true, batch_requests: false}, 'mixpanel']]; m.__SV = 1.2; })"
                   "(window.mixpanel = []);",
            note="mixpanel.min.js (the CDN build) after the snippet's init queue; page view tracked at "
                 "init, batching off so it is sent at once"),
)
"""Candor first; every tag sends its page view to the same stub collector."""
