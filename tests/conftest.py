"""pytest-selenium, adapted to a run that covers several engines at once.

Its --driver picks one engine; Candor's browser tests pick engines with CANDOR_BROWSERS
(tests/browser/conftest.py). Its failure hooks expect a driver name, so an empty one
stands for "whichever engines CANDOR_BROWSERS selects".
"""


def pytest_configure(config):
    if getattr(config.option, "driver", None) is None:
        config.option.driver = ""
