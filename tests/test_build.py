"""build.py: dist/ is what the sources build to, and the build refuses what would break pages."""
import json
import sys

import pytest

import build

STOCK_NAMES, PROTOTYPE_METHODS = build.stock_runtime()


def test_dist_is_what_the_sources_build_to(tmp_path):
    assert build.main(["--out", str(tmp_path)]) == 0
    built = sorted(path.name for path in tmp_path.iterdir())
    assert built == sorted(path.name for path in build.DIST.iterdir())
    for name in built:
        assert (tmp_path / name).read_bytes() == (build.DIST / name).read_bytes(), (
            f"dist/{name} is stale: run `python build.py` and commit dist/")


def test_size_report_is_within_budget():
    report = json.loads((build.DIST / "size.json").read_text())
    assert 0 < report["gzip"] <= build.GZIP_BUDGET == report["gzip_budget"]
    assert report["brotli"] < report["gzip"] < report["min"] < report["raw"]


def test_the_privacy_page_companion_is_within_its_own_budget():
    report = json.loads((build.DIST / "size.json").read_text())["choice"]
    assert 0 < report["gzip"] <= build.CHOICE_GZIP_BUDGET == report["gzip_budget"]


@pytest.mark.parametrize("name", ["candor", "candor-choice"])
def test_integrity_file_matches_the_bundle(name):
    import base64
    import hashlib
    digest = hashlib.sha384((build.DIST / f"{name}.min.js").read_bytes()).digest()
    assert (build.DIST / f"{name}.min.js.sri").read_text().strip() == "sha384-" + base64.b64encode(digest).decode()


def test_source_map_points_back_to_the_python_sources():
    sources = json.loads((build.DIST / "candor.min.js.map").read_text())["sources"]
    assert "../tag_src/privacy.py" in sources and "../tag_src/candor.py" in sources
    assert all((build.DIST / source).resolve().is_file() for source in sources)


@pytest.mark.parametrize("code, construct", [
    ("if (n := 1):\n    pass\n", "walrus"),
    ("match x:\n    case 1:\n        pass\n", "match statement"),
    ("def f(a, /, b):\n    pass\n", "positional-only"),
] + ([("type Alias = int\n", "type statement")] if sys.version_info >= (3, 12) else []))
def test_constructs_transcrypt_miscompiles_are_rejected_with_their_line(tmp_path, code, construct):
    source = tmp_path / "bad.py"
    source.write_text("x = 1\n" + code)
    [(line, message)] = build.miscompiled_constructs(source)
    assert line == 2 and construct in message


def test_a_runtime_name_candor_does_not_provide_is_found():
    js = "var __name__ = 'x';\nexport var f = function (s) { return sorted (s) + len (s); };"
    missing, methods = build.runtime_gaps(js, STOCK_NAMES, {"len"}, PROTOTYPE_METHODS)
    assert missing == ["sorted"] and methods == []


def test_a_stock_prototype_method_is_found():
    js = "export var f = function (s, a) { a.append (s.strip ()); return s.startsWith ('x'); };"
    missing, methods = build.runtime_gaps(js, STOCK_NAMES, set(), PROTOTYPE_METHODS)
    assert methods == ["append", "strip"]


def test_names_inside_strings_comments_and_properties_are_not_runtime_calls():
    js = "// sorted (x)\nvar a = 'len (x)'; var b = win.sorted; var c = \"max (1)\";"
    assert build.runtime_gaps(js, STOCK_NAMES, set(), PROTOTYPE_METHODS) == ([], [])


def test_a_build_over_budget_fails_clearly(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build, "GZIP_BUDGET", 100)
    assert build.main(["--out", str(tmp_path)]) == 1
    assert "over the 100 B budget" in capsys.readouterr().err


def test_readme_snippet_carries_this_release_integrity():
    readme = (build.ROOT / "README.md").read_text()
    integrity = (build.DIST / "candor.min.js.sri").read_text().strip()
    assert f'integrity="{integrity}"' in readme, "README's snippet has a stale SRI hash: copy dist/candor.min.js.sri"


def test_tighten_unwraps_dict_literals_and_writes_arrows():
    js = "export var f = function (a, b) {\n\treturn dict ({'k': (function __lambda__ (x) {\n\t\treturn x;\n\t})});\n};"
    assert build.tighten(js) == "export var f = (a, b) => {\n\treturn ({'k': ((x) => {\n\t\treturn x;\n\t})});\n};"


def test_tighten_keeps_functions_in_a_module_that_reads_this_or_arguments():
    js = "var wrapped = function () {\n\treturn original.apply (this, arguments);\n};"
    assert build.tighten(js) == js


def test_internal_properties_are_shortened_and_public_names_are_kept():
    bundle = (build.DIST / "candor.min.js").read_text()
    assert "_enqueue" not in bundle and "_flush" not in bundle
    public = ["requireConsent", "childDirected", "autoPageview", "allowedDomains", "scrubParams",
              "optOut", "optIn", "consent", "status", "doNotTrack", "msDoNotTrack",
              "globalPrivacyControl", "sendBeacon", "keepalive", "initiatorType", "tracking", "reasons"]
    assert [name for name in public if name not in bundle] == []


def test_module_constants_are_written_where_they_are_used():
    cookies = ("export var ID_COOKIE = 'candor_id';\nexport var MAX_AGE = 60;\nexport var COUNT = 1;\nCOUNT = 2;\n"
               "export var ON = ['1', 'yes'];\nexport var PAIRS = [[1]];")
    tracker = ("import {ID_COOKIE, MAX_AGE} from './cookies.js';\n"
               "var f = (w) => w.MAX_AGE + write (ID_COOKIE, MAX_AGE, COUNT, 'ID_COOKIE', MAX_AGE2, ON);")
    constants = build.module_constants([cookies, tracker])
    assert constants == {"ID_COOKIE": "'candor_id'", "MAX_AGE": "60", "ON": "['1', 'yes']"}
    assert build.inline_constants(tracker, constants) == (
        "import {ID_COOKIE, MAX_AGE} from './cookies.js';\n"
        "var f = (w) => w.MAX_AGE + write ('candor_id', 60, COUNT, 'ID_COOKIE', MAX_AGE2, ['1', 'yes']);")
    assert build.inline_constants(cookies, constants) == cookies


@pytest.mark.parametrize("name", ["candor.js", "candor-choice.js"])
def test_no_browser_api_is_called_under_a_transcrypt_alias(name):
    """Transcrypt renames some names it knows (`isNaN` -> `py_isNaN`, `type`, `name`...): on a
    browser object that is a property no browser has, so the call throws and the tag stops."""
    import re
    assert re.findall(r"\.py_\w+", (build.DIST / name).read_text()) == []
