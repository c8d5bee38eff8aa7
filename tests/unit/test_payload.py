"""Events as the collector accepts them, whatever the page hands the tag."""
from fakes import FakeWindow, JsObject, JsString
from payload import flat_map, named_event, page_event


def test_long_url_referrer_and_title_are_cut_to_the_collector_limits():
    win = FakeWindow(href="https://pub.example/" + "a" * 3000)
    win.document.title = JsString("t" * 600)
    event = page_event(win, None, JsString("https://ref.example/" + "r" * 3000))
    assert (len(event["url"]), len(event["ref"]), len(event["title"])) == (2048, 2048, 512)
    assert event["url"].startswith("https://pub.example/aaa")


def test_attrs_keep_scalars_and_cut_long_text():
    attrs = JsObject(section="sport", page=2, paid=False, nested=JsObject(a=1), listed=["x"],
                     call=lambda: 1, gone=None, long="y" * 600)
    assert flat_map(FakeWindow(), attrs) == {"section": "sport", "page": 2, "paid": False, "long": "y" * 512}


def test_attrs_that_are_not_an_object_become_empty():
    for value in (None, JsString("text"), 3, True):
        assert flat_map(FakeWindow(), value) == {}


def test_a_named_event_carries_its_name_cut_to_64_and_its_props():
    event = named_event(FakeWindow(), JsString("n" * 80), JsObject(plan="pro"))
    assert event["type"] == "event" and event["name"] == "n" * 64 and event["props"] == {"plan": "pro"}


def test_attrs_keep_at_most_32_keys_of_1_to_64_characters_so_the_batch_is_never_refused():
    from candor_server.collector.wire import _flat_map

    many = JsObject(**{"": "empty", "k" * 65: "long", **{f"key{i:02d}": i for i in range(40)}})
    kept = flat_map(FakeWindow(), many)
    assert list(kept) == [f"key{i:02d}" for i in range(32)]
    assert _flat_map(kept, "attrs") == kept
