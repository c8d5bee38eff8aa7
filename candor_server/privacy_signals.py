"""Why a request must not be tracked: the one place the server reads a visitor's
privacy signals, shared by the collector (which then stores nothing) and the
choice page (which explains them), so the two can never disagree."""

import re

ID_COOKIE = "candor_id"
VISITOR_ID_PATTERN = re.compile(r"[0-9a-f]{32}")
"""The tag's visitor id (tag_src/ids.py, visitor_id): 128 random bits as 32 lowercase hex digits."""
OPTOUT_COOKIE = "candor_optout"


def tracking_blockers(headers, cookies):
    """The reasons tracking is off for this request, named as in the tag's
    `status` command: `dnt`, `gpc`, `optout`; empty when tracking is allowed."""
    reasons = []
    if headers.get("DNT", "").strip() == "1":
        reasons.append("dnt")
    if headers.get("Sec-GPC", "").strip() == "1":
        reasons.append("gpc")
    if OPTOUT_COOKIE in cookies:
        reasons.append("optout")
    return reasons


def is_visitor_id(value):
    """Whether `value` has the tag's visitor id format; nothing else is ever looked up as an id."""
    return isinstance(value, str) and VISITOR_ID_PATTERN.fullmatch(value) is not None
