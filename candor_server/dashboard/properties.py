"""The properties visits and events are broken down and filtered by, under the
names of Plausible's Stats API v1 (`visit:source`, `event:page`...), and the filter
syntax it uses (`event:page==/blog/*;visit:country==FR|DE`), so one parser serves
the dashboard's URLs and the API. Values are compared as given; `*` matches any run
of characters."""

from dataclasses import dataclass

PROPS_PREFIX = "event:props:"
VISIT_COLUMNS = {
    "visit:entry_page": "entry_path",
    "visit:exit_page": "exit_path",
    "visit:source": "source",
    "visit:channel": "channel",
    "visit:utm_source": "utm_source",
    "visit:utm_medium": "utm_medium",
    "visit:utm_campaign": "utm_campaign",
    "visit:utm_term": "utm_term",
    "visit:utm_content": "utm_content",
    "visit:browser": "browser",
    "visit:os": "os",
    "visit:device": "screen",  # Plausible's "device" is the screen class
    "visit:device_type": "device",  # desktop, mobile, tablet or bot, from the User-Agent
    "visit:country": "country",
    "visit:language": "lang",
    "visit:search_terms": "ref_terms",
}
EVENT_COLUMNS = {"event:page": "path", "event:name": "name"}
MAX_FILTERS = 10
MAX_VALUE_LENGTH = 500


class FilterError(ValueError):
    """A filter or property the caller can fix; the message says which and why."""


@dataclass(frozen=True)
class Filter:
    prop: str
    values: tuple  # any of these matches
    negated: bool = False

    def text(self):
        """The filter in the syntax it was read from, for URLs."""
        return f"{self.prop}{'!=' if self.negated else '=='}{'|'.join(self.values)}"


def checked_property(prop):
    """The property name if it is one Candor can break down or filter by."""
    if prop in VISIT_COLUMNS or prop in EVENT_COLUMNS:
        return prop
    if prop.startswith(PROPS_PREFIX) and _valid_prop_key(prop[len(PROPS_PREFIX) :]):
        return prop
    raise FilterError(f"unknown property {prop!r}: use one of {', '.join([*EVENT_COLUMNS, *VISIT_COLUMNS])} or {PROPS_PREFIX}<key>")


def _valid_prop_key(key):
    return 0 < len(key) <= 100 and not any(character in key for character in '"\\$.[]*')


def is_visit_property(prop):
    return prop in VISIT_COLUMNS


def parse_filters(text):
    """`visit:source==Google;event:page!=/admin/*` as a tuple of Filters (empty for "")."""
    if not text:
        return ()
    filters = []
    for part in text.split(";"):
        if not part.strip():
            continue
        negated = "!=" in part
        prop, separator, values = part.partition("!=" if negated else "==")
        if not separator:
            raise FilterError(f"filter {part!r} needs == or != between a property and values")
        values = tuple(value for value in values.split("|") if value)
        if not values or any(len(value) > MAX_VALUE_LENGTH for value in values):
            raise FilterError(f"filter {part!r} needs values of 1 to {MAX_VALUE_LENGTH} characters")
        filters.append(Filter(checked_property(prop.strip()), values, negated))
    if len(filters) > MAX_FILTERS:
        raise FilterError(f"at most {MAX_FILTERS} filters")
    return tuple(filters)


def filters_text(filters):
    return ";".join(f.text() for f in filters)


def with_filter(filters, prop, value):
    """The filters plus prop==value, replacing an earlier filter on the same property:
    clicking a row narrows the view, clicking another row of that panel switches it."""
    return tuple(f for f in filters if f.prop != prop) + (Filter(prop, (value,)),)


def without_filter(filters, prop):
    return tuple(f for f in filters if f.prop != prop)
