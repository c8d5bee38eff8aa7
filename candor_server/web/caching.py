"""Responses about one visitor or one publisher's numbers must never sit in a shared cache."""

from flask import make_response


def private(body):
    """A page about one visitor or site: never kept by a shared cache or the back button's cache."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store, private"
    return response
