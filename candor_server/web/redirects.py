"""Where a form may send the browser next: a path on this same site, nothing else. Browsers
drop tabs and newlines from a Location and read `//host` or `/\\host` as another site, so
`/%09/evil.example` (a tab) would become `//evil.example`; control characters are refused."""

from urllib.parse import urlsplit


class UnsafeRedirect(ValueError):
    """A `next` holding control characters (CR/LF, tab...): the request is refused with 400."""


def same_site_path(target):
    """`target` when it is a relative path on this site, else None; UnsafeRedirect for control characters."""
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        raise UnsafeRedirect("next: control characters are not allowed in a redirect target")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
