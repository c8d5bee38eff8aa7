"""Unique visitors without a cookie (cookieless mode, CONTRACT.md §4): a batch that carries no
`uid` is counted under a hash of the day's secret salt, the site, the user agent and the
client address. The salt is shared by every collector node through the database and deleted
once its day is over, so a day's hashes can never be recomputed or linked to the next day's.
Neither the address nor the hash input is stored; only the hash is, as the event's `uid`."""

import hashlib
import hmac
import secrets

from ..storage import db

SALT_BYTES = 32
DAILY_PREFIX = "day-"
"""Stored uids of cookieless visitors start with it: never a `candor_id` (32 hex characters),
so "my data" can never match one, and the dashboard can tell daily visitors apart."""


def daily_visitor_id(salt, site, user_agent, address):
    """HMAC-SHA256 under the day's salt: without the salt the hash says nothing about its input."""
    message = "\n".join((site, user_agent or "", address or "")).encode("utf-8", "surrogatepass")
    return DAILY_PREFIX + hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


def salt_of_the_day(day):
    """The salt of a UTC day (YYYY-MM-DD): the first node to need it creates it, and earlier
    days' salts are deleted in the same transaction."""
    return db.salt_for_day(day, secrets.token_bytes(SALT_BYTES))
