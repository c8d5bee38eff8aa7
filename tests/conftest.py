"""pytest-selenium, adapted to a run that covers several engines at once.

Its --driver picks one engine; Candor's browser tests pick engines with CANDOR_BROWSERS
(tests/browser/conftest.py) and accept --driver WebKitGTK, which pytest-selenium does
not know. Its failure hooks expect a driver name, so an empty one stands for "several".
"""
from pytest_selenium.pytest_selenium import SUPPORTED_DRIVERS
from selenium import webdriver

SUPPORTED_DRIVERS["WebKitGTK"] = webdriver.WebKitGTK


def pytest_configure(config):
    if getattr(config.option, "driver", None) is None:
        config.option.driver = ""
