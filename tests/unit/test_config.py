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
    assert config == {"site": "demo", "collector": "/collect", "autoPageview": False, "allowedDomains": []}


def test_init_without_options_changes_nothing():
    config = default_config()
    apply_init(config, None)
    assert config == default_config()


def test_allowed_domains_come_comma_separated_from_the_script_element():
    doc = FakeDocument(script=FakeScript(**{"data-site": "news", "data-allowed-domains": "cdn.example.com, fonts.example"}))
    assert config_from_script(doc)["allowedDomains"] == ["cdn.example.com", " fonts.example"]


def test_allowed_domains_come_as_a_list_from_init():
    config = default_config()
    apply_init(config, JsObject(allowedDomains=["cdn.example.com"]))
    assert config["allowedDomains"] == ["cdn.example.com"]
