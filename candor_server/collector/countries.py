"""The visitor's country from the time zone their browser reports (`tz`), never
from the IP address: the IANA database's own zone-to-country table (`zone.tab`,
shipped by the maintained `tzdata` package) plus its links, so an old name such as
`Asia/Calcutta` finds its country too. A zone shared by several countries
(`Europe/Berlin` also covers Oslo's links) counts for the country `zone.tab` names."""

from functools import cache
from importlib import resources

UNKNOWN = None


@cache
def _tables():
    """({zone: ISO 3166 code}, {code: country name}) read once from the tzdata package."""
    zoneinfo = resources.files("tzdata").joinpath("zoneinfo")
    zones = {}
    for line in _rows(zoneinfo.joinpath("zone.tab").read_text(encoding="utf-8")):
        code, _coordinates, zone = line.split("\t")[:3]
        zones[zone] = code
    for line in zoneinfo.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            if alias not in zones and target in zones:
                zones[alias] = zones[target]
    names = dict(line.split("\t")[:2] for line in _rows(zoneinfo.joinpath("iso3166.tab").read_text(encoding="utf-8")))
    return zones, names


def _rows(text):
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def country_of_time_zone(tz):
    """The two-letter country code of an IANA zone name, or None (UTC, unknown names)."""
    if not tz:
        return UNKNOWN
    return _tables()[0].get(tz, UNKNOWN)


def country_name(code):
    """ "FR" -> "France"; the code itself when the table lacks it."""
    return _tables()[1].get(code, code)
