"""The privacy page's companion: the status in words, where its settings come from, and that
deleting the data forgets the id on every domain the tag may have used."""
from choice_element import choice_settings, forget_id, status_text
from fakes import FakeDocument, FakeScript, FakeWindow, JsObject


def test_tracking_is_said_plainly():
    assert status_text(JsObject(tracking=True, reasons=[])).startswith("Candor is counting visits")


def test_every_reason_is_named():
    text = status_text(JsObject(tracking=False, reasons=["optout", "gpc", "somethingnew"]))
    assert text == ("Candor collects nothing from this browser: you opted out: this browser keeps the "
                    "candor_optout cookie; your browser sends Global Privacy Control; somethingnew.")


def test_settings_come_from_the_companions_own_attributes_first():
    win = FakeWindow()
    own = FakeScript(**{"data-site": "news", "data-collector": "https://analytics.example/collect"})
    assert choice_settings(win, own) == {"site": "news", "collector": "https://analytics.example/collect"}


def test_settings_fall_back_to_the_tags_script():
    tag = FakeScript(**{"data-site": "news"})
    win = FakeWindow(document=FakeDocument())
    win.document.querySelector = lambda selector: tag if selector == "script[data-site]" else None
    assert choice_settings(win, FakeScript()) == {"site": "news", "collector": "/collect"}
    win.document.querySelector = lambda selector: None
    assert choice_settings(win, FakeScript()) is None


def test_forgetting_the_id_expires_it_host_only_and_on_every_parent_domain():
    win = FakeWindow(href="https://www.news.example/privacy")
    forget_id(win)
    writes = win.document.jar.writes
    assert all(write.startswith("candor_id=;") and "Max-Age=0" in write for write in writes)
    assert ["Domain=" + d for d in ("example", "news.example", "www.news.example")] == [
        part.strip() for write in writes for part in write.split(";") if part.strip().startswith("Domain=")]
    assert any("Domain" not in write for write in writes)
