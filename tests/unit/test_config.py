"""Settings: data-* attributes and candor('init', ...) go through one reader (CONTRACT.md §1)."""
import pytest
from config import MAX_SITE, apply_init, attribute_name, config_from_script, default_config, settings_problem
from fakes import FakeDocument, FakeScript, FakeWindow, JsObject


def window_with_script(**attributes):
    return FakeWindow(document=FakeDocument(script=FakeScript(**attributes)))


def test_defaults_without_a_script_element():
    assert config_from_script(FakeWindow()) == default_config()


def test_defaults_are_the_contract_defaults():
    assert default_config() == {"site": None, "collector": None, "allowedDomains": [],
                                "requireConsent": False, "childDirected": False, "autoPageview": True,
                                "spa": True, "scrubParams": [], "cookieDomain": "auto", "cookieless": False,
                                "tcf": True, "tcfPurposes": [1, 8]}


@pytest.mark.parametrize("name, attribute", [
    ("site", "data-site"), ("allowedDomains", "data-allowed-domains"),
    ("requireConsent", "data-require-consent"), ("autoPageview", "data-auto-pageview"),
    ("scrubParams", "data-scrub-params"),
])
def test_attribute_names_are_the_settings_in_kebab_case(name, attribute):
    assert attribute_name(name) == attribute


def test_every_setting_can_come_from_a_data_attribute():
    config = config_from_script(window_with_script(**{
        "data-site": "news", "data-collector": "https://c.example/collect",
        "data-allowed-domains": "cdn.example.com, fonts.example.net,", "data-require-consent": "true",
        "data-child-directed": "true", "data-auto-pageview": "false", "data-spa": "false",
        "data-scrub-params": "ref,utm_id", "data-cookie-domain": "host", "data-cookieless": "true",
        "data-tcf": "false", "data-tcf-purposes": "1, 7,8"}))
    assert config == {"site": "news", "collector": "https://c.example/collect",
                      "allowedDomains": ["cdn.example.com", "fonts.example.net"], "requireConsent": True,
                      "childDirected": True, "autoPageview": False, "spa": False, "scrubParams": ["ref", "utm_id"],
                      "cookieDomain": "host", "cookieless": True, "tcf": False, "tcfPurposes": ["1", "7", "8"]}


def test_empty_data_attributes_keep_the_defaults():
    win = window_with_script(**{"data-site": "", "data-collector": "", "data-spa": ""})
    assert config_from_script(win) == default_config()


def test_init_options_and_data_attributes_read_alike():
    from_attributes = config_from_script(window_with_script(**{
        "data-site": "news", "data-require-consent": "true", "data-allowed-domains": "a.example,b.example"}))
    from_init = default_config()
    apply_init(FakeWindow(), from_init, JsObject(site="news", requireConsent=True,
                                                 allowedDomains=["a.example", "b.example"]))
    assert from_init == from_attributes


def test_init_overrides_and_ignores_missing_and_unknown_keys():
    config = default_config()
    apply_init(FakeWindow(), config, JsObject(site="demo", autoPageview=False, unknown="x"))
    assert config == dict(default_config(), site="demo", autoPageview=False)


def test_init_takes_a_comma_separated_string_for_a_list():
    config = default_config()
    apply_init(FakeWindow(), config, JsObject(scrubParams="session, uid"))
    assert config["scrubParams"] == ["session", "uid"]


def test_init_without_options_is_refused_and_changes_nothing():
    config = default_config()
    assert apply_init(FakeWindow(), config, None) is False
    assert config == default_config()



@pytest.mark.parametrize("site, collector, problem", [
    ("news", "https://stats.news.example/collect", None),
    ("news", "/candor/collect", None),
    ("news", "//stats.news.example/collect", None),
    (None, "/collect", "data-site"),
    ("n" * (MAX_SITE + 1), "/collect", "data-site"),
    ("news", None, "data-collector"),
    ("news", "htps://stats.news.example/collect", "data-collector"),
    ("news", "https//stats.news.example/collect", "data-collector"),
    ("news", "stats.news.example/collect", "data-collector"),
])
def test_settings_problem_names_a_site_or_collector_that_cannot_work(site, collector, problem):
    assert settings_problem({"site": site, "collector": collector}) == problem


def test_a_missing_collector_falls_back_to_the_pages_own_collect():
    config = {"site": "news", "collector": None}
    settings_problem(config)
    assert config["collector"] == "/collect"

