import pytest
from fakes import FakeDocument, FakeNavigator, FakeWindow


@pytest.fixture
def make_window():
    """A fake window with the given navigator properties, cookies and settings script."""
    def make(cookies="", script=None, href="https://pub.example/a?x=1", beacon_accepts=True,
             navigator=None, **window_props):
        nav = FakeNavigator(beacon_accepts=beacon_accepts, **(navigator or {}))
        doc = FakeDocument(cookies=cookies, script=script, referrer="https://www.google.com/search?q=shoes")
        return FakeWindow(navigator=nav, document=doc, href=href, **window_props)
    return make
