"""A request body whose framing is broken (a chunk size that is not hex, a chunk without its
CRLF, a body cut short) is the client's error: the WSGI server raises it from inside
`wsgi.input.read`, deep in a view, where it would become a 500. Reads are wrapped so that
any such error is a 400 with the reason, on every route."""

from werkzeug.exceptions import BadRequest

from .refusals import refuse


class MalformedBody(BadRequest):
    """The body could not be read as framed; the message names what the server said."""


class GuardedInput:
    """`wsgi.input` whose read errors become MalformedBody."""

    def __init__(self, stream):
        self._stream = stream

    def read(self, *args):
        return self._guarded(self._stream.read, *args)

    def readline(self, *args):
        return self._guarded(self._stream.readline, *args)

    def readlines(self, *args):
        return self._guarded(self._stream.readlines, *args)

    def __iter__(self):
        return iter(self.readline, b"")

    @staticmethod
    def _guarded(read, *args):
        try:
            return read(*args)
        except BadRequest:
            raise
        except Exception as error:  # noqa: BLE001 - whatever the server's parser raises, the body is at fault
            raise MalformedBody(f"request body is malformed: {type(error).__name__} {error}".strip()) from None


class BodyFramingGuard:
    """WSGI middleware putting GuardedInput in front of the server's body stream."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        environ["wsgi.input"] = GuardedInput(environ["wsgi.input"])
        return self.app(environ, start_response)


def init_app(app):
    """Guard the body stream, and answer MalformedBody as JSON like every other refusal."""
    app.wsgi_app = BodyFramingGuard(app.wsgi_app)
    app.register_error_handler(MalformedBody, lambda error: refuse(400, error.description))
