"""Tells the publisher where their pages pass personal data to the collector, as the seed
promises: one sentence per page path, field and kind scrubbed in the last 7 days
("e-mail addresses in URLs of /checkout, 37 times in 7 days"), most frequent first."""

from ..clock import DAY_SECONDS, utc_day
from ..storage import db

ALERT_DAYS = 7
MAX_ALERTS = 20
KIND_WORDS = {
    "email": "e-mail addresses",
    "phone": "phone numbers",
    "card": "payment card numbers",
    "ssn": "US social security numbers",
    "iban": "IBANs (bank accounts)",
    "parameter": "values of sensitive parameters (email=, name=, token=…)",
}
FIELD_WORDS = {
    "url": "URLs",
    "ref": "referrers",
    "title": "titles",
    "name": "event names",
    "attrs": "page attributes",
    "props": "event properties",
}


def scrub_alerts(site, now):
    """The sentences for `site` at `now` (seconds), counted over the last ALERT_DAYS UTC days."""
    since_day = utc_day(now - (ALERT_DAYS - 1) * DAY_SECONDS)
    return [
        f"{KIND_WORDS.get(kind, kind)} in {FIELD_WORDS.get(field, field)} of {path},"
        f" {count} {'time' if count == 1 else 'times'} in {ALERT_DAYS} days"
        for path, field, kind, count in db.scrub_findings(site, since_day, MAX_ALERTS)
    ]
