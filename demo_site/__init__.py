"""Candor's demo: a small newspaper that embeds the tag, and a page that leaks to an
uninvited third party, served by the production server's own factory so the tag, the
collector, the choice pages and the dashboard can be seen working together.

    flask --app demo_site run        # or ./dev.sh demo

Never deploy this: production is `candor_server:create_app()`.
"""

import candor_server
from candor_server.sites import SELF

from . import leaky, publisher

DEMO_SITES = {"demo": {"origins": [SELF]}}
"""Without CANDOR_SITES, the demo's one site: its pages are served by the collector itself."""


def create_app(test_config=None):
    """The server plus the demo publisher's pages."""
    return candor_server.create_app(test_config, default_sites=DEMO_SITES, extra_blueprints=(publisher.bp, leaky.bp))
