"""The baseline for collector throughput: a WSGI app that reads the body and answers 204,
served by the same gunicorn, so the ratio isolates what the collector itself costs."""


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(length)
    start_response("204 No Content", [])
    return [b""]
