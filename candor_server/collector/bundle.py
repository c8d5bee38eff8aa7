"""Serves the built tag from `dist/`, so the demo publisher loads it from its own
origin exactly as a real publisher would host it, and knows its SRI hash."""

import re
from pathlib import Path

from flask import Blueprint, current_app, send_from_directory

BUNDLE_MIMETYPES = {
    "candor.min.js": "text/javascript",
    "candor.min.js.map": "application/json",
    "candor.js": "text/javascript",
    "candor-choice.min.js": "text/javascript",
    "candor-choice.min.js.map": "application/json",
    "candor-choice.js": "text/javascript",
}
CACHE_SECONDS = 300
INTEGRITY_FILENAME = "candor.min.js.sri"
CHOICE_INTEGRITY_FILENAME = "candor-choice.min.js.sri"
INTEGRITY_PATTERN = re.compile(r"sha384-[A-Za-z0-9+/]+={0,2}")

bp = Blueprint("bundle", __name__)


@bp.get(
    "/<any('candor.min.js', 'candor.min.js.map', 'candor.js', 'candor-choice.min.js', 'candor-choice.min.js.map',"
    " 'candor-choice.js'):filename>"
)
def serve_bundle(filename):
    """A short cache lifetime: a rebuilt tag reaches visitors within minutes. Any page may load
    it with `crossorigin="anonymous"`, which SRI needs when the bundle comes from the collector."""
    response = send_from_directory(
        current_app.config["DIST_DIR"],
        filename,
        mimetype=BUNDLE_MIMETYPES[filename],
        max_age=CACHE_SECONDS,
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def read_tag_integrity(dist_dir, filename=INTEGRITY_FILENAME):
    """The `sha384-…` SRI value of the built `candor.min.js` (or of the file `filename` names,
    such as `candor-choice.min.js.sri`), or None when it has not been built. A malformed file
    stops start-up: a wrong hash would make every browser silently refuse the script."""
    path = Path(dist_dir) / filename
    if not path.is_file():
        return None
    integrity = path.read_text(encoding="utf-8").strip()
    if not INTEGRITY_PATTERN.fullmatch(integrity):
        raise ValueError(f"{path} should hold one line like sha384-<base64>, got {integrity[:80]!r}")
    return integrity
