"""The tag (tag_src/, compiled to JavaScript) and the server (candor_server/) each need the
cookie names, their lifetimes and the wire's field limits; they are two programs in two
languages, so the values are written twice and this test keeps them equal."""

import config
import cookies
import leaks
import payload
import tracker

from candor_server import privacy_signals
from candor_server.collector import beacons, wire
from candor_server.visitor import choice


def test_both_sides_name_the_same_cookies():
    assert (cookies.ID_COOKIE, cookies.OPTOUT_COOKIE) == (privacy_signals.ID_COOKIE, privacy_signals.OPTOUT_COOKIE)


def test_both_sides_give_the_opt_out_the_same_lifetime():
    assert int(cookies.OPTOUT_MAX_AGE) == choice.OPTOUT_MAX_AGE == 400 * 86_400


def test_the_id_cookie_lives_six_months():
    assert int(cookies.ID_MAX_AGE) == 180 * 86_400


def test_the_tag_cuts_fields_exactly_to_what_the_collector_accepts():
    assert payload.MAX_URL == wire.MAX_URL_LENGTH
    assert payload.MAX_TITLE == wire.MAX_TITLE_LENGTH
    assert payload.MAX_TEXT == wire.MAX_MAP_TEXT_LENGTH
    assert payload.MAX_KEY == wire.MAX_MAP_KEY_LENGTH
    assert payload.MAX_KEYS == wire.MAX_MAP_KEYS
    assert leaks.MAX_HOSTS == wire.MAX_HOSTS


def test_a_full_batch_of_the_tag_fits_the_collectors_limits():
    assert tracker.MAX_BATCH <= wire.MAX_EVENTS
    assert beacons.MAX_BODY_BYTES == 32 * 1024


def test_the_tag_warns_of_exactly_the_site_ids_the_collector_refuses_as_too_long():
    assert config.MAX_SITE == wire.MAX_ID_LENGTH
