"""Build the Candor tag: check the Python, transpile it, bundle one classic script, weigh it.

Usage: python build.py [--out DIR]      (default DIR: dist/)

Writes candor.js (readable), candor.min.js with its source map (back to tag_src/*.py),
candor.min.js.sri (sha384 for `integrity=`) and size.json, then fails when the gzip size
is over GZIP_BUDGET. The companion for privacy pages (`data-candor-choice`) is built the same
way, from tag_src/choice_element.py, as candor-choice.js, candor-choice.min.js (+ map, .sri),
within CHOICE_GZIP_BUDGET; its sizes are in size.json under "choice". Every step fails loudly
with the file and the reason.
"""
import argparse
import ast
import base64
import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent
TAG_SRC = ROOT / "tag_src"
ENTRY = TAG_SRC / "candor.py"
WORK_DIR = ROOT / "build" / "transcrypt"
CHOICE_ENTRY = TAG_SRC / "choice_element.py"
CHOICE_WORK_DIR = ROOT / "build" / "transcrypt-choice"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
DIST = ROOT / "dist"

GZIP_BUDGET = 4120
"""Bytes of `gzip -9` for candor.min.js. The product's goal is 2,500 B; the complete tag (PII
scrubbing about 600 B, leak detection about 500 B, what real deployments need 288 B, the IAB
consent platforms about 600 B: TCF 456 B, GPP 144 B; cookieless mode 34 B) measures 4,104 B,
so the budget sits just above it: any growth fails the build and has to be argued for (README,
"How it is built")."""

CHOICE_GZIP_BUDGET = 1900
"""Bytes of `gzip -9` for candor-choice.min.js, loaded by privacy pages only: it measures 1,856 B."""

RUNTIME_MODULE = "org.transcrypt.__runtime__.js"
BUILTIN_PROTOTYPES = "Object|Array|String|Function|Number|Boolean|RegExp|Date|Uint8Array"

MISCOMPILED = {
    ast.NamedExpr: "the walrus operator (:=)",
    ast.Match: "a match statement",
}
if sys.version_info >= (3, 12):
    MISCOMPILED[ast.TypeAlias] = "a type statement"


class BuildError(Exception):
    """A reason the build must stop, worded for the person reading the terminal."""


def relative(path):
    return path.relative_to(ROOT).as_posix()


def miscompiled_constructs(path):
    """Constructs Transcrypt 3.9.5 turns into broken JS while reporting success."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if type(node) in MISCOMPILED:
            found.append((node.lineno, MISCOMPILED[type(node)]))
        elif isinstance(node, ast.arguments) and node.posonlyargs:
            found.append((node.posonlyargs[0].lineno, "positional-only parameters (/)"))
    return found


def check_sources():
    errors = []
    for path in sorted(TAG_SRC.rglob("*.py")):
        for line, construct in miscompiled_constructs(path):
            errors.append(f"{relative(path)}:{line}: {construct} is miscompiled by Transcrypt; rewrite it")
    if errors:
        raise BuildError("\n".join(errors))


def transpile(entry=ENTRY, work_dir=WORK_DIR):
    """Transcrypt to ES modules with source maps (-m); no Closure minify (-n), no cache (-b)."""
    shutil.rmtree(work_dir, ignore_errors=True)
    command = [sys.executable, "-m", "transcrypt", "-b", "-n", "-m", "-od", str(work_dir), str(entry)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0 or "Aborted" in result.stdout:
        raise BuildError("Transcrypt failed:\n" + result.stdout + result.stderr)


DICT_LITERAL = re.compile(r"\bdict \(\{")
FUNCTION_EXPRESSION = re.compile(r"\bfunction (?:__lambda__ )?\(([^)]*)\) \{")


def tighten(js):
    """The same module in fewer bytes, where Transcrypt writes a long form of something short.

    `dict ({...})` around a dict literal is the plain object literal. A function expression
    (a nested def, a lambda, a module-level def: `var f = function (...)`) becomes an arrow
    function, unless the module reads `this` or `arguments`, which arrows do not have.
    Defs are never constructed with `new`, the one other difference.
    """
    js = DICT_LITERAL.sub("({", js)
    if not re.search(r"\b(?:this|arguments)\b", code_only(js)):
        js = FUNCTION_EXPRESSION.sub(r"(\1) => {", js)
    return js


LITERAL = r"(?:\d+|'(?:[^'\\\n]|\\.)*')"
CONSTANT = re.compile(rf"^export var ([A-Z][A-Z0-9_]*) = ({LITERAL}|\[{LITERAL}(?:, {LITERAL})*\]);$", re.MULTILINE)
TOKEN = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|//[^\n]*|/\*.*?\*/|(?<![\w$.])[A-Z][A-Z0-9_]*(?![\w$])",
                   re.DOTALL)


def module_constants(sources):
    """UPPER_CASE module constants holding a number, a string or a list of them, declared once and
    never reassigned (a list is then a new literal at each use: constants are never mutated)."""
    declared = {}
    for js in sources:
        for name, value in CONSTANT.findall(js):
            declared.setdefault(name, set()).add(value)
    assigned = {name for js in sources for name in re.findall(r"(?<![\w$.])([A-Z][A-Z0-9_]*)\s*[-+*/%|&^]?=(?!=)",
                                                             CONSTANT.sub("", js))}
    return {name: values.pop() for name, values in declared.items() if len(values) == 1 and name not in assigned}


def inline_constants(js, constants):
    """Each use of a constant becomes its value (esbuild keeps every `var`, and a constant used once
    costs its name twice); declarations and import lines stay, and esbuild drops what is unused."""
    lines = js.split("\n")
    for index, line in enumerate(lines):
        if not line.startswith("import ") and not CONSTANT.match(line):
            lines[index] = TOKEN.sub(lambda token: constants.get(token.group(0), token.group(0)), line)
    return "\n".join(lines)


def tighten_modules(folder):
    modules = sorted(folder.glob("*.js"))
    constants = module_constants([module.read_text() for module in modules])
    for module in modules:
        module.write_text(inline_constants(tighten(module.read_text()), constants))


def stock_runtime():
    """Names the stock Transcrypt runtime exports, and methods it adds to built-in prototypes.

    Read from the installed Transcrypt, so a new Transcrypt release cannot drift silently.
    """
    folder = Path(find_spec("transcrypt").submodule_search_locations[0]) / "modules" / "org" / "transcrypt"
    js = "".join((folder / name).read_text() for name in ("__core__.js", "__builtin__.js"))
    python = (folder / "__runtime__.py").read_text()
    names = set(re.findall(r"export\s+(?:var|function|class|const|let)\s+([\w$]+)", js))
    names |= set(re.findall(r"^(?:class|def)\s+(\w+)", python, re.MULTILINE))
    methods = set(re.findall(rf"\b(?:{BUILTIN_PROTOTYPES})\.prototype\.([\w$]+)\s*=", js + python))
    methods |= set(re.findall(rf"__setproperty__\s*\(\s*(?:{BUILTIN_PROTOTYPES})\.prototype\s*,\s*'(\w+)'", js + python))
    return names, methods


def code_only(js):
    """JS with comments, string literals and import lines blanked, for identifier scans."""
    js = re.sub(r"^import .*$", "", js, flags=re.MULTILINE)
    js = re.sub(r"'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"", "''", js)
    return re.sub(r"//[^\n]*|/\*.*?\*/", "", js, flags=re.DOTALL)


def runtime_gaps(js, stock_names, provided, prototype_methods):
    """What generated code needs that Candor's runtime lacks: names, and prototype methods."""
    code = code_only(js)
    missing = sorted(
        name for name in stock_names - provided
        if re.search(rf"(?<![\w$.]){re.escape(name)}(?![\w$])", code)
    )
    methods = sorted(
        name for name in prototype_methods
        if re.search(rf"\.\s*{re.escape(name)}\s*\(", code)
    )
    return missing, methods


def check_runtime_coverage(work_dir=WORK_DIR):
    """Fail when generated code calls into the stock runtime that Candor does not ship."""
    stock_names, prototype_methods = stock_runtime()
    ours = (work_dir / RUNTIME_MODULE).read_text()
    provided = set(re.findall(r"export\s+(?:var|function)\s+([\w$]+)", ours))
    if re.search(rf"\b(?:{BUILTIN_PROTOTYPES})\.prototype\b", code_only(ours)):
        raise BuildError("tag_src/org/transcrypt/__runtime__.py must not touch a built-in prototype")
    errors = []
    for module in sorted(work_dir.glob("*.js")):
        if module.name == RUNTIME_MODULE:
            continue
        missing, methods = runtime_gaps(module.read_text(), stock_names, provided, prototype_methods)
        source = "tag_src/" + module.stem.replace(".", "/") + ".py"
        for name in missing:
            errors.append(f"{source}: generated code uses runtime name '{name}', which "
                          f"tag_src/org/transcrypt/__runtime__.py does not provide")
        for name in methods:
            errors.append(f"{source}: generated code calls .{name}(), a method only the stock "
                          f"runtime adds to built-in prototypes; use the JS name "
                          f"(# __pragma__ ('alias', ...) or ('noalias', ...))")
    if errors:
        raise BuildError("\n".join(errors))


INTERNAL_PROPERTIES = "^_[a-z]"
"""Keys of the tag's own objects (the tracker's functions: '_enqueue'...) start with one
underscore, and esbuild shortens them. Nothing public does: CONTRACT names, init options,
data attributes, wire fields and browser APIs never start with `_`."""


def esbuild(out_file, *flags, main_module=WORK_DIR / "candor.js"):
    command = [str(ESBUILD), str(main_module), "--bundle", "--format=iife",
               "--target=es2017", "--legal-comments=none", "--log-level=warning",
               f"--mangle-props={INTERNAL_PROPERTIES}", "--mangle-quoted=true",
               f"--outfile={out_file}", *flags]
    if not ESBUILD.exists():
        raise BuildError(f"{relative(ESBUILD)} is missing: run `npm ci` first")
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError("esbuild failed:\n" + result.stderr)


def python_source(map_source):
    """`../build/transcrypt/org.transcrypt.__runtime__.py` -> `../tag_src/org/transcrypt/__runtime__.py`."""
    stem = Path(map_source).name[: -len(".py")]
    return "../tag_src/" + stem.replace(".", "/") + ".py"


def point_map_at_sources(map_file):
    """Source map paths name tag_src/, whatever the output folder, so every build is identical."""
    source_map = json.loads(map_file.read_text())
    source_map["sources"] = [python_source(s) if s.endswith(".py") else s for s in source_map["sources"]]
    map_file.write_text(json.dumps(source_map, separators=(",", ":")))


def bundle(out, name="candor", main_module=WORK_DIR / "candor.js"):
    out.mkdir(parents=True, exist_ok=True)
    esbuild(out / f"{name}.js", main_module=main_module)
    esbuild(out / f"{name}.min.js", "--minify", "--sourcemap", main_module=main_module)
    point_map_at_sources(out / f"{name}.min.js.map")


def sizes(out, name="candor", budget=GZIP_BUDGET):
    raw = (out / f"{name}.js").read_bytes()
    minified = (out / f"{name}.min.js").read_bytes()
    return {
        "raw": len(raw),
        "min": len(minified),
        "gzip": len(gzip.compress(minified, compresslevel=9, mtime=0)),
        "brotli": len(brotli.compress(minified, quality=11)),
        "gzip_budget": budget,
    }


def write_integrity(out, name="candor"):
    digest = hashlib.sha384((out / f"{name}.min.js").read_bytes()).digest()
    integrity = "sha384-" + base64.b64encode(digest).decode()
    (out / f"{name}.min.js.sri").write_text(integrity + "\n")
    return integrity


def build_choice(out):
    """The privacy pages' companion: the same steps as the tag, its own files and budget."""
    transpile(CHOICE_ENTRY, CHOICE_WORK_DIR)
    tighten_modules(CHOICE_WORK_DIR)
    check_runtime_coverage(CHOICE_WORK_DIR)
    bundle(out, "candor-choice", CHOICE_WORK_DIR / "choice_element.js")
    integrity = write_integrity(out, "candor-choice")
    report = sizes(out, "candor-choice", CHOICE_GZIP_BUDGET)
    print(f"candor-choice.min.js: {report['min']} B min, {report['gzip']} B gzip -9 "
          f"(budget {CHOICE_GZIP_BUDGET} B gzip); integrity: {integrity}")
    if report["gzip"] > CHOICE_GZIP_BUDGET:
        raise BuildError(f"candor-choice.min.js is {report['gzip']} B gzip, over the {CHOICE_GZIP_BUDGET} B "
                         f"budget (CHOICE_GZIP_BUDGET in build.py)")
    return report


def build(out):
    started = time.perf_counter()
    check_sources()
    transpile()
    tighten_modules(WORK_DIR)
    check_runtime_coverage()
    bundle(out)
    integrity = write_integrity(out)
    report = sizes(out)
    report["choice"] = build_choice(out)
    (out / "size.json").write_text(json.dumps(report, indent=2) + "\n")
    seconds = time.perf_counter() - started
    print(f"candor.min.js: {report['min']} B min, {report['gzip']} B gzip -9, {report['brotli']} B brotli "
          f"(raw {report['raw']} B; budget {GZIP_BUDGET} B gzip) in {seconds:.2f} s")
    print(f"integrity: {integrity}")
    if report["gzip"] > GZIP_BUDGET:
        raise BuildError(f"candor.min.js is {report['gzip']} B gzip, over the {GZIP_BUDGET} B budget "
                         f"(GZIP_BUDGET in build.py)")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DIST, help="output folder (default: dist/)")
    args = parser.parse_args(argv)
    try:
        build(args.out.resolve())
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
