"""The tag and the collector scrub alike: scrub.py compiled by Transcrypt and run by Node's
RegExp gives exactly what CPython's re gives, on the same generated pages."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pii_strategies import ordinary_text, ordinary_urls, pii_in_text, pii_in_url
from scrub import re_replace_all, scrub_text

import build

ROOT = Path(__file__).resolve().parents[2]
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
ENTRY = '''
from scrub import js_replace_all, scrub_text


def answer(line):
    request = JSON.parse(line)
    return JSON.stringify(scrub_text(request.value, request.params, js_replace_all(globalThis)))
'''
NODE_LOOP = '''
const {answer} = require(process.argv[1]);
require("readline").createInterface({input: process.stdin}).on("line", (line) => {
  process.stdout.write(answer(line) + "\\n");
});
'''


@pytest.fixture(scope="module")
def js_scrub(tmp_path_factory):
    """scrub.py transpiled with the tag's own runtime and bundled for Node, answering line by line."""
    if shutil.which("node") is None or not ESBUILD.exists():
        pytest.fail("node and esbuild are needed: run ./dev.sh test (it runs npm ci)")
    work = tmp_path_factory.mktemp("scrub_js")
    shutil.copytree(ROOT / "tag_src", work / "tag_src")
    (work / "tag_src" / "scrub_parity.py").write_text(ENTRY)
    subprocess.run([sys.executable, "-m", "transcrypt", "-b", "-n", "-od", str(work / "js"),
                    str(work / "tag_src" / "scrub_parity.py")], check=True, capture_output=True)
    build.tighten_modules(work / "js")
    bundle = work / "scrub_parity.cjs"
    subprocess.run([str(ESBUILD), str(work / "js" / "scrub_parity.js"), "--bundle", "--format=cjs",
                    "--platform=node", "--log-level=warning", f"--outfile={bundle}"], check=True)
    node = subprocess.Popen(["node", "-e", NODE_LOOP, str(bundle)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, bufsize=1)

    def run(value, params):
        node.stdin.write(json.dumps({"value": value, "params": params}) + "\n")
        return json.loads(node.stdout.readline())
    yield run
    node.stdin.close()
    node.wait(timeout=10)


PAGES = st.one_of(pii_in_text().map(lambda case: case[1]), pii_in_url().map(lambda case: case[2]),
                  ordinary_urls(), ordinary_text())


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGES, st.lists(st.sampled_from(["page", "q", "utm_source", "ref"]), max_size=2))
def test_javascript_and_python_scrub_the_same_text_the_same_way(js_scrub, value, params):
    assert js_scrub(value, params) == scrub_text(value, params, re_replace_all)


@pytest.mark.parametrize("value", [None, 42, True, "", "plain"])
def test_javascript_leaves_values_that_are_not_text_alone(js_scrub, value):
    assert js_scrub(value, []) == value
