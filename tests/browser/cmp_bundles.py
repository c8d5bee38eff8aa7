"""The consent platforms of the fixture pages, bundled at test time from the IAB Tech Lab's own
npm packages (pinned in package-lock.json) with the repository's esbuild.

Nothing is committed but the small entry scripts in cmp/: each run rebuilds the bundles from
node_modules into pages/cmp/ (ignored by git), served as /fixture/cmp/, so the pages always run
exactly the pinned versions.
"""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = Path(__file__).parent / "cmp"
BUNDLES = Path(__file__).parent / "pages" / "cmp"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
ENTRIES = ["tcf_stub.js", "tcf_cmp.js", "gpp_cmp.js"]


def build_cmp_bundles():
    """One classic script per entry in BUNDLES; a missing package or bundler fails with esbuild's words."""
    if not ESBUILD.exists():
        raise RuntimeError(f"{ESBUILD} is missing: run `npm ci` (./dev.sh test does)")
    command = [str(ESBUILD), *(str(SOURCES / entry) for entry in ENTRIES), "--bundle", "--format=iife",
               "--target=es2017", "--log-level=warning", f"--outdir={BUNDLES}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("esbuild could not bundle the consent platforms:\n" + result.stderr)
    return BUNDLES
