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


def watch_url_changes(win, after):
    """`after` runs on pushState, replaceState and popstate; it must not throw."""
    wrap_history_method(win.history, 'pushState', after)
    wrap_history_method(win.history, 'replaceState', after)
    win.addEventListener('popstate', after)
