"""Settings from the script element's data-* attributes and from candor('init', ...)."""
from config import apply_init, config_from_script, default_config
from fakes import FakeDocument, FakeScript, JsObject


def test_defaults_without_a_script_element():
    assert config_from_script(FakeDocument()) == default_config()


def test_data_attributes_configure_site_and_collector():
    doc = FakeDocument(script=FakeScript(**{"data-site": "news", "data-collector": "https://c.example/collect"}))
    config = config_from_script(doc)
    assert config["site"] == "news"
    assert config["collector"] == "https://c.example/collect"


def test_empty_data_attributes_keep_the_defaults():
    config = config_from_script(FakeDocument(script=FakeScript(**{"data-site": "", "data-collector": ""})))
    assert config == default_config()


def test_init_overrides_and_ignores_missing_keys():
    config = default_config()
    apply_init(config, JsObject(site="demo", autoPageview=False, unknown="x"))
    assert config == {"site": "demo", "collector": "/collect", "autoPageview": False}


def test_init_without_options_changes_nothing():
    config = default_config()
    apply_init(config, None)
    assert config == default_config()
