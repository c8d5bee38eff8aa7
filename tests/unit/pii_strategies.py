"""Hypothesis strategies for personal data as it appears on real pages, and for ordinary
URLs and titles that must come through scrubbing unchanged."""
from urllib.parse import quote

from hypothesis import strategies as st

LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"
WORDS = st.sampled_from(["news", "river", "path", "reopens", "library", "late", "fees", "market",
                         "bakery", "sport", "weather", "opinion", "city", "council", "vote"])
SEPARATORS = st.sampled_from([" ", ", ", ": ", " - ", " (", "\n", " <"])


def luhn_check_digit(digits):
    total = 0
    for offset, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if offset % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


@st.composite
def emails(draw):
    local = draw(st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,14}[a-z0-9]", fullmatch=True))
    labels = draw(st.lists(st.text(LOWER_DIGITS, min_size=1, max_size=10), min_size=1, max_size=3))
    tld = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6))
    return local + "@" + ".".join(labels + [tld])


@st.composite
def phone_numbers(draw, separators=("", " ", "-")):
    """9 to 15 digits in the groupings people type: +44 20 7946 0958, (555) 123-4567, and with
    dots (555.123.4567) where the collector's rules are tested. Not 13 digits starting with 9,
    which the tag reads as an ISBN-13."""
    digits = draw(st.text("0123456789", min_size=9, max_size=15).filter(lambda text: len(text) != 13 or text[0] != "9"))
    separator = draw(st.sampled_from(separators))
    groups, rest = [], digits
    while rest:
        size = draw(st.integers(2, 4))
        groups.append(rest[:size] if len(rest) - size > 1 else rest)
        rest = rest[len(groups[-1]):]
    number = separator.join(groups)
    if draw(st.booleans()) and len(groups) > 2:
        number = "(" + groups[0] + ") " + separator.join(groups[1:])
    return ("+" if draw(st.booleans()) else "") + number


@st.composite
def card_numbers(draw):
    """Luhn-valid numbers of 13 to 19 digits starting like an issuer's (2 to 6), plain or in groups of four."""
    body = draw(st.sampled_from("23456")) + draw(st.text("0123456789", min_size=11, max_size=17))
    number = body + luhn_check_digit(body)
    separator = draw(st.sampled_from(["", " ", "-"]))
    return separator.join(number[i:i + 4] for i in range(0, len(number), 4))


@st.composite
def us_ssns(draw):
    return draw(st.from_regex(r"[0-9]{3}-[0-9]{2}-[0-9]{4}", fullmatch=True))


PII = st.one_of(emails(), phone_numbers(), card_numbers(), us_ssns())


@st.composite
def ordinary_text(draw):
    """Headline-like text: words, each maybe followed by a short number (a year, a count)."""
    words = draw(st.lists(st.tuples(WORDS, st.one_of(st.just(""), st.integers(0, 9999).map(lambda n: f" {n}"))),
                          min_size=1, max_size=6))
    return " ".join(word + number for word, number in words) + draw(st.sampled_from(["", ".", "!", "?", " | The Daily"]))


@st.composite
def ordinary_urls(draw):
    host = ".".join(draw(st.lists(WORDS, min_size=1, max_size=3))) + draw(st.sampled_from([".com", ".example", ".co.uk"]))
    port = draw(st.sampled_from(["", ":8080"]))
    path = "/".join(draw(st.lists(st.one_of(WORDS, st.integers(0, 99999).map(str),
                                            st.just("2026/11/29")), max_size=4)))
    names = st.sampled_from(["page", "id", "q", "utm_source", "utm_medium", "sort", "lang", "ref", "tag"])
    values = st.one_of(WORDS, st.integers(0, 99999999).map(str))
    query = "&".join(f"{name}={value}" for name, value in draw(st.lists(st.tuples(names, values), max_size=4)))
    fragment = draw(st.one_of(st.just(""), WORDS.map(lambda word: "#" + word)))
    return (f"{draw(st.sampled_from(['http', 'https']))}://{host}{port}/{path}"
            + (f"?{query}" if query else "") + fragment)


@st.composite
def pii_in_text(draw):
    """PII between words, as in a title or an attribute value."""
    pii = draw(PII)
    before = draw(ordinary_text()) + " " + draw(WORDS) + draw(SEPARATORS)
    after = draw(SEPARATORS) + draw(WORDS) + " " + draw(ordinary_text())
    return pii, before + pii + after


@st.composite
def pii_in_url(draw):
    """PII percent-encoded as a browser puts it in a query value, a path segment or a fragment."""
    pii = draw(PII)
    encoded = quote(pii, safe="") if draw(st.booleans()) else quote(pii, safe="@+")
    url = draw(ordinary_urls()).split("#")[0]
    joiner = "&" if "?" in url else "?"
    place = draw(st.sampled_from(["query", "path", "fragment"]))
    if place == "query":
        url += joiner + draw(st.sampled_from(["contact", "q", "x", "utm_term"])) + "=" + encoded
    elif place == "path":
        url = url.replace("://", "\0").split("/")[0].replace("\0", "://") + "/user/" + encoded + "/profile"
    else:
        url += "#" + encoded
    return pii, encoded, url
