"""Reads Content-Security-Policy violation reports in both formats browsers send: the
classic `application/csp-report` (report-uri) and the Reporting API's
`application/reports+json` (report-to). Bad input is refused with a reason, and only what
the leakage report needs is kept: the page without its query, the blocked host, the
directive and whether the policy was enforced.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

CSP_REPORT = "application/csp-report"
REPORTS_JSON = "application/reports+json"
MAX_BODY_BYTES = 16 * 1024
MAX_REPORTS = 20
MAX_FIELD_LENGTH = 2048
DISPOSITIONS = ("enforce", "report")
KEYWORD_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,31}")
DIRECTIVE_PATTERN = re.compile(r"[a-z][a-z-]{0,39}")

# The same report under each format's field names. Classic reports from older engines
# name the directive only in violated-directive ("img-src 'self'"): its first word.
CLASSIC_FIELDS = {
    "document": "document-uri",
    "blocked": "blocked-uri",
    "directive": "effective-directive",
    "disposition": "disposition",
    "fallback_directive": "violated-directive",
}
REPORTING_API_FIELDS = {"document": "documentURL", "blocked": "blockedURL", "directive": "effectiveDirective", "disposition": "disposition"}


class ReportError(ValueError):
    """A report body the collector refuses; the message says why."""


@dataclass(frozen=True)
class Violation:
    """What is stored of one violation: host names and a path, nothing about the visitor."""

    document: str
    blocked: str
    directive: str
    disposition: str


def parse_violations(mimetype, body):
    """The violations in a request body of `mimetype`; raises ReportError with the reason.
    A Reporting API batch may hold other report types: those are skipped."""
    if mimetype == CSP_REPORT:
        data = _json(body)
        if not isinstance(data, dict) or not isinstance(data.get("csp-report"), dict):
            raise ReportError('expected {"csp-report": {...}}')
        return [_violation(data["csp-report"], CLASSIC_FIELDS, "csp-report")]
    if mimetype == REPORTS_JSON:
        data = _json(body)
        if not isinstance(data, list) or not 1 <= len(data) <= MAX_REPORTS:
            raise ReportError(f"expected a list of 1 to {MAX_REPORTS} reports")
        violations = []
        for i, report in enumerate(data):
            if not isinstance(report, dict):
                raise ReportError(f"[{i}]: expected a report object")
            if report.get("type") == "csp-violation":
                if not isinstance(report.get("body"), dict):
                    raise ReportError(f"[{i}].body: expected an object")
                violations.append(_violation(report["body"], REPORTING_API_FIELDS, f"[{i}].body"))
        return violations
    raise ReportError(f"Content-Type {mimetype or 'missing'}: use {CSP_REPORT} or {REPORTS_JSON}")


def _json(body):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, RecursionError, ValueError) as error:
        raise ReportError(f"body is not JSON: {error}") from None


def _violation(report, fields, path):
    def text(name, required=True):
        value = report.get(fields[name])
        if value is None and name == "directive" and "fallback_directive" in fields:
            value = report.get(fields["fallback_directive"])
        if value is None and not required:
            return None
        if not isinstance(value, str) or len(value) > MAX_FIELD_LENGTH:
            raise ReportError(f"{path}.{fields[name]}: expected a string of at most {MAX_FIELD_LENGTH} characters")
        return value

    document = _page(text("document"))
    if document is None:
        raise ReportError(f"{path}.{fields['document']}: expected an http(s) URL")
    blocked = _blocked(text("blocked"))
    if blocked is None:
        raise ReportError(f"{path}.{fields['blocked']}: expected a URL or a keyword such as inline")
    directive = text("directive").split(" ")[0]
    if not DIRECTIVE_PATTERN.fullmatch(directive):
        raise ReportError(f"{path}.{fields['directive']}: expected a directive such as img-src")
    disposition = text("disposition", required=False) or "enforce"
    if disposition not in DISPOSITIONS:
        raise ReportError(f"{path}.{fields['disposition']}: expected enforce or report")
    return Violation(document, blocked, directive, disposition)


def _page(url):
    parts = _split(url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def _blocked(uri):
    """The blocked host; browsers send a keyword (inline, eval, data, blob) for what has none."""
    parts = _split(uri)
    if parts is None:
        return None
    if parts.hostname:
        return parts.hostname
    keyword = (parts.scheme or uri).lower()
    return keyword if KEYWORD_PATTERN.fullmatch(keyword) else None


def _split(url):
    try:
        return urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
