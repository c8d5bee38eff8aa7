"""Where a visit came from, as the dashboard groups it: the page path (the query
string dropped, except campaign parameters), the UTM campaign dimensions, the
source (the referrer's name or host) and the channel it belongs to.

Everything here reads the URL and referrer after scrubbing, so a campaign value
can never carry what the scrubber removed."""

from urllib.parse import parse_qsl, urlencode, urlsplit

UTM_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
MAX_PATH_LENGTH = 500
MAX_VALUE_LENGTH = 100
DIRECT = "Direct / None"
CHANNELS = ("direct", "search", "social", "email", "campaign", "other")
EMAIL_MEDIUMS = frozenset({"email", "e-mail", "e_mail", "newsletter", "mail"})
SOCIAL_MEDIUMS = frozenset({"social", "social-network", "social-media", "sm", "social network"})
SEARCH_MEDIUMS = frozenset({"organic"})
WEBMAIL_HOSTS = frozenset(
    {
        "mail.google.com",
        "outlook.live.com",
        "outlook.office.com",
        "outlook.office365.com",
        "mail.yahoo.com",
        "mail.proton.me",
        "app.fastmail.com",
        "mail.aol.com",
    }
)


def campaign_of(url):
    """{utm_source: ..., ...} for the UTM parameters present with a value."""
    found = {}
    for key, value in _query(url):
        key = key.lower()
        value = " ".join(value.split())[:MAX_VALUE_LENGTH]
        if key in UTM_PARAMETERS and value and key not in found:
            found[key] = value
    return found


def page_path(url):
    """ "/articles/river?utm_source=news" from a full URL: the query string is dropped
    (ids, search words, anything a visitor typed), except its campaign parameters."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "/"
    kept = [(key, value) for key, value in _query(url) if key.lower() in UTM_PARAMETERS]
    path = (parts.path or "/") + ("?" + urlencode(kept) if kept else "")
    return path[:MAX_PATH_LENGTH]


def _query(url):
    try:
        return parse_qsl(urlsplit(url or "").query, keep_blank_values=True)
    except ValueError:
        return []


def source_of(referrer):
    """The name a source is listed under: the search engine or network, the referring
    host, or "Direct / None" (no referrer, or one from the site itself)."""
    if referrer.kind in ("direct", "internal") or not referrer.source:
        return DIRECT
    return referrer.source


def channel_of(referrer, campaign):
    """direct, search, social, email, campaign or other. Campaign tags win over the
    referrer (a newsletter link opened in a webmail still says utm_medium=email)."""
    medium = campaign.get("utm_medium", "").lower()
    if medium in EMAIL_MEDIUMS or (referrer.source or "").lower() in WEBMAIL_HOSTS:
        return "email"
    if medium in SOCIAL_MEDIUMS:
        return "social"
    if medium in SEARCH_MEDIUMS:
        return "search"
    if campaign:
        return "campaign"
    if referrer.kind in ("search", "social"):
        return referrer.kind
    if referrer.kind in ("direct", "internal"):
        return "direct"
    return "other"
