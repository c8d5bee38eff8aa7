"""Single-page apps: a page view each time the app changes the URL through the History API."""


def wrap_history_method(history, method, after):
    """Call the page's own method exactly as before (same `this`, arguments and result; its
    exceptions propagate untouched), then tell Candor the URL may have changed."""
    original = history[method]

    def wrapped():
        result = original.apply(this, js_arguments)  # noqa: F821 - JS `this` and `arguments`
        after()
        return result

    history[method] = wrapped


def watch_url_changes(win, page_view):
    """page_view(previous_url) once per new URL after pushState, replaceState or popstate: the
    previous URL is the new view's referrer. It runs inside the page's own history calls, so
    nothing may escape from it."""
    seen = win.location.href

    def changed():
        nonlocal seen
        try:
            if win.location.href != seen:
                page_view(seen)
                seen = win.location.href
        except:  # noqa: E722 - native JS errors are not Python exceptions
            pass

    wrap_history_method(win.history, 'pushState', changed)
    wrap_history_method(win.history, 'replaceState', changed)
    win.addEventListener('popstate', changed)
