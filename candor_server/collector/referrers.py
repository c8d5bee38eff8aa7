"""Where a visit came from, classified at the collector from the (already
scrubbed) referrer: direct, internal, search (engine and terms), social, other.

A small table here rather than a library: the only referrer parser on PyPI with
a search-engine list, `referer-parser`, was last released in 2016 (its list
predates Ecosia, Brave Search and X), and the others are abandoned too. The
table below is short enough to keep current by hand.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

MAX_TERMS_LENGTH = 100
COUNTRY_DOMAIN = r"(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})"

# (engine, host pattern, query parameters that may carry the search terms)
SEARCH_ENGINES = (
    ("Google", rf"(?:www\.)?google\.{COUNTRY_DOMAIN}", ("q",)),
    ("Bing", r"(?:www\.|cn\.)?bing\.com", ("q",)),
    ("DuckDuckGo", r"(?:html\.|lite\.)?duckduckgo\.com", ("q",)),
    ("Yahoo", r"(?:[a-z]{2}\.)?search\.yahoo\.(?:com|co\.jp)", ("p", "q")),
    ("Yandex", r"(?:www\.)?yandex\.(?:ru|com|com\.tr|by|kz|ua)|ya\.ru", ("text",)),
    ("Baidu", r"(?:www\.|m\.)?baidu\.com", ("wd", "word")),
    ("Ecosia", r"(?:www\.)?ecosia\.org", ("q",)),
    ("Qwant", r"(?:www\.|lite\.)?qwant\.com", ("q",)),
    ("Startpage", r"(?:www\.)?startpage\.com", ("query", "q")),
    ("Brave", r"search\.brave\.com", ("q",)),
    ("Naver", r"(?:m\.)?search\.naver\.com", ("query",)),
    ("Seznam", r"search\.seznam\.cz", ("q",)),
)
# (network, host pattern)
SOCIAL_NETWORKS = (
    ("Facebook", r"(?:[a-z]+\.)?facebook\.com|fb\.me"),
    ("X (Twitter)", r"t\.co|(?:[a-z]+\.)?(?:twitter|x)\.com"),
    ("LinkedIn", r"(?:[a-z]+\.)?linkedin\.com|lnkd\.in"),
    ("Reddit", r"(?:[a-z]+\.)?reddit\.com"),
    ("Instagram", r"(?:[a-z]+\.)?instagram\.com"),
    ("Pinterest", rf"(?:[a-z]+\.)?pinterest\.{COUNTRY_DOMAIN}|pin\.it"),
    ("YouTube", r"(?:[a-z]+\.)?youtube\.com|youtu\.be"),
    ("TikTok", r"(?:[a-z]+\.)?tiktok\.com"),
    ("Bluesky", r"bsky\.app"),
    ("Threads", r"(?:www\.)?threads\.(?:net|com)"),
    ("Mastodon", r"mastodon\.social|mastodon\.online"),
    ("Hacker News", r"news\.ycombinator\.com"),
)
_SEARCH = [(name, re.compile(pattern), params) for name, pattern, params in SEARCH_ENGINES]
_SOCIAL = [(name, re.compile(pattern)) for name, pattern in SOCIAL_NETWORKS]


@dataclass(frozen=True)
class Referrer:
    """`kind` is direct, internal, search, social or other; `source` names the
    engine, network or referring host; `terms` only for searches that still send them."""

    kind: str
    source: str | None = None
    terms: str | None = None


def classify(ref, page_url):
    """The kind of referrer a page view arrived with."""
    if not ref:
        return Referrer("direct")
    host = _host(ref)
    if host is None:
        return Referrer("other")
    if host == _host(page_url):
        return Referrer("internal", host)
    for name, pattern, params in _SEARCH:
        if pattern.fullmatch(host):
            return Referrer("search", name, _terms(ref, params))
    for name, pattern in _SOCIAL:
        if pattern.fullmatch(host):
            return Referrer("social", name)
    return Referrer("other", host)


def _host(url):
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def _terms(ref, params):
    query = parse_qs(urlsplit(ref).query)
    for param in params:
        for value in query.get(param, ()):
            terms = " ".join(value.split())[:MAX_TERMS_LENGTH]
            if terms:
                return terms
    return None
