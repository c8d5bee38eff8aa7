"""The tag's one way to tell the publisher something is wrong: a console line, never an error."""


def warn(win, text):
    """One `candor: ...` console line; the page goes on either way."""
    try:
        win.console.warn('candor: ' + text)
    except:  # noqa: E722 - no console
        pass
