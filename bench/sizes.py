"""Bytes a visitor downloads for Candor and for each peer, weighed the same way.

Peers come from npm into bench/node_modules (exact versions in bench/package-lock.json,
installed by `npm ci --prefix bench`); each entry names the one file a site would load.
"""
import gzip
import json
import tempfile
from pathlib import Path

import brotli

import build

ROOT = Path(__file__).resolve().parent.parent
CANDOR_BUNDLE = ROOT / "dist" / "candor.min.js"
BEFORE_FIRST_PAGE_VIEW = (CANDOR_BUNDLE,)
"""Candor's files a visitor downloads before the tag sends the first page view."""
PEER_MODULES = Path(__file__).resolve().parent / "node_modules"

PEERS = (
    ("Plausible", "@plausible-analytics/tracker", "plausible.js",
     "the package's only script: a minified ES module a site bundles"),
    ("Snowplow", "@snowplow/browser-tracker", "dist/index.umd.min.js",
     "minified UMD browser bundle"),
    ("Segment", "@segment/analytics-next", "dist/umd/index.js",
     "standalone bundle (analytics.js); lazy plugin chunks load later and are not counted"),
    ("Mixpanel", "mixpanel-browser", "dist/mixpanel.min.js",
     "minified standalone library, as on Mixpanel's CDN"),
    ("PostHog", "posthog-js", "dist/array.js",
     "the snippet-loaded array bundle; extensions load later and are not counted"),
)


class MissingPeers(Exception):
    """The peers are not installed: the message says how to install them."""


def weigh(data):
    """Raw, `gzip -9` and brotli (quality 11) bytes, the way build.py weighs dist/."""
    return {
        "raw": len(data),
        "gzip": len(gzip.compress(data, compresslevel=9, mtime=0)),
        "brotli": len(brotli.compress(data, quality=11)),
    }


def installed_version(package):
    return json.loads((PEER_MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


def measure_sizes():
    """One row per tag, Candor first, then peers from the lightest gzip up."""
    candor = {"tag": "Candor", "package": "candor (this repository)", "file": "dist/candor.min.js",
              "note": "the whole tag: one classic script", **weigh(CANDOR_BUNDLE.read_bytes()),
              "before_first_page_view_gzip": sum(weigh(path.read_bytes())["gzip"] for path in BEFORE_FIRST_PAGE_VIEW)}
    peers = []
    for name, package, file, note in PEERS:
        path = PEER_MODULES / package / file
        if not path.is_file():
            raise MissingPeers(f"{path} is missing: run `npm ci --prefix bench --ignore-scripts`")
        peers.append({"tag": name, "package": f"{package}@{installed_version(package)}", "file": file,
                      "note": note, **weigh(path.read_bytes())})
    return [candor, *sorted(peers, key=lambda row: row["gzip"])]


LEAKS_ENTRY = "import {watch_leaks} from './leaks.js';\ndocument.currentScript.candorLeaks = watch_leaks;\n"
"""The lazily loaded file a split would add: leak detection alone, handing itself to the tag
through its <script> element."""


def leak_split():
    """What splitting leak detection (needed only after load) into a lazily loaded file would
    weigh: the tag built without it (before the loader that would fetch the rest), and leak
    detection bundled alone, with the helpers it shares with the tag copied in."""
    with tempfile.TemporaryDirectory(prefix="candor-split-") as folder:
        work_dir = Path(folder) / "transcrypt"
        build.transpile(build.ENTRY, work_dir)
        build.tighten_modules(work_dir)
        (work_dir / "leaks_entry.js").write_text(LEAKS_ENTRY, encoding="utf-8")
        build.esbuild(Path(folder) / "leaks.min.js", "--minify", main_module=work_dir / "leaks_entry.js")
        lazy = weigh((Path(folder) / "leaks.min.js").read_bytes())["gzip"]
    whole = weigh(CANDOR_BUNDLE.read_bytes())["gzip"]
    main = build.gzip_without("leaks")
    return {"today_gzip": whole, "main_without_leaks_gzip": main, "lazy_leaks_gzip": lazy,
            "before_first_page_view_saved": whole - main, "added_in_total": main + lazy - whole}
