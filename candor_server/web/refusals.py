"""How the server turns down what a client sent: a 4xx with the reason in JSON, and request
bodies read no further than a limit (Content-Length first, then a bounded read), so an
oversized body is refused without being read whole. Shared by /collect and /csp-report."""

from flask import jsonify, request


def refuse(status, reason):
    return jsonify(error=reason), status


def too_large(limit):
    return refuse(413, f"body is larger than {limit} bytes")


def bounded_body(limit):
    """The request body, or None when it is over `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = request.stream.read(limit + 1)
    return None if len(body) > limit else body
