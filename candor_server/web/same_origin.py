"""Cross-site request forgery guard for every form that changes something (opt
out, opt in, delete my data, dashboard log-in): the browser says where a POST
comes from (`Sec-Fetch-Site`, `Origin`), and only this site's own pages may send
one. Old browsers that send neither still get SameSite=Lax cookies, so a
foreign form cannot act as the visitor there either."""

from functools import wraps

from flask import abort, request

from ..sites import same_origin

ALLOWED_FETCH_SITES = {"same-origin", "none"}  # "none": typed or bookmarked by the user


def from_this_site():
    """Whether the request's own headers say it came from one of this site's pages."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ALLOWED_FETCH_SITES:
        return False
    origin = request.headers.get("Origin")
    return origin is None or same_origin(origin, request.host_url)


def same_origin_only(view):
    """Answer 403, changing nothing, to a form posted from another site."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not from_this_site():
            abort(403, "this form only works from this site's own pages")
        return view(*args, **kwargs)

    return guarded
