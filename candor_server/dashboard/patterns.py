"""Values matched as filters and goals give them: equal, or with `*` standing for any run
of characters (`/blog/*`), the same in SQL and in Python (where the rollups of open days
are matched), and case-sensitive in both."""

import re


def _like(pattern):
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def matches(expression, pattern):
    """A SQL condition: `expression` matches `pattern`. SQLite's LIKE ignores ASCII case, so
    callers that need case to count check rows again with `matches_text`."""
    return expression.like(_like(pattern), escape="\\") if "*" in pattern else expression == pattern


def matches_text(value, pattern):
    if "*" not in pattern:
        return value == pattern
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), value, re.DOTALL) is not None
