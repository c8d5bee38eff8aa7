"""The scrubbing corpus: personal data in the forms people and pages write it (generated from
a fixed seed, plus hand-written cases), and ordinary publisher strings that must come through
unchanged. `python tests/unit/scrub_corpus.py` prints the false-negative and false-positive
rates of the tag's rules alone and of what the collector stores (the tag's rules, then its own).
"""
import random
import sys
from pathlib import Path
from urllib.parse import quote

TAG_SRC = Path(__file__).resolve().parents[2] / "tag_src"
if str(TAG_SRC) not in sys.path:
    sys.path.insert(0, str(TAG_SRC))

from scrub import digits_of, normalised, re_replace_all, scrub_for_storage, scrub_text  # noqa: E402

SEED = 13
FULLWIDTH_OFFSET = 0xFEE0
WORDS = ["news", "river", "path", "library", "market", "bakery", "weather", "council", "vote", "order"]
NAMES = ["john", "anna.lee", "m_schmidt", "j.doe+news", "kim-88", "o'brien", "zoe", "li.wei2"]
DOMAINS = ["example.com", "mail.example.co.uk", "example.de", "uni-x.example.org", "example.io"]
IBAN_COUNTRIES = {"DE": 18, "FR": 23, "GB": 18, "NL": 14, "ES": 20, "IT": 23, "BE": 12, "CH": 17, "AT": 16}

HAND_WRITTEN_PERSONAL = [
    ("john.doe@example.com", "Contact john.doe@example.com for details"),
    ("john.doe@example.com", "https://pub.example/thanks?contact=john.doe%40example.com"),
    ("john@example.com", "https://www.google.com/search?q=john%40example%2Ecom"),
    ("john@example.com", "https://pub.example/u/john%2540example.com/profile"),
    ("anna@example.org", "Write to anna＠example.org"),
    ("anna@example.org", "Write to anna @ example.org today"),
    ("anna@example.org", "anna[at]example[dot]org"),
    ("anna@example.org", "anna (at) example (dot) org"),
    ("anna@example.org", "ａｎｎａ＠ｅｘａｍｐｌｅ．ｏｒｇ"),
    ("bob@example.net", "bob%40example%2Enet"),
    ("bob@example.net", "bob\u200b@example.net"),
    ("4111111111111111", "Card 4111 1111 1111 1111 12/26"),
    ("4111111111111111", "4111 1111 1111 1111 exp 12/26 cvv 123"),
    ("4111111111111111", "4111-1111-1111-1111 123"),
    ("4111111111111111", "ref 9 4111 1111 1111 1111"),
    ("4111111111111111", "4111.1111.1111.1111"),
    ("4111111111111111", "4111/1111/1111/1111"),
    ("4111111111111111", "4111  1111  1111  1111"),
    ("4111111111111111", "https://shop.example/pay?n=4111%201111%201111%201111&exp=12%2F26"),
    ("378282246310005", "Amex 3782 822463 10005"),
    ("5555555555554444", "５５５５ ５５５５ ５５５５ ４４４４"),
    ("5555555555554444", "5555\u00a05555\u00a05555\u00a04444"),
    ("6011111111111117", "6011–1111–1111–1117"),
    ("5555551234", "Call 555 - 555 - 1234"),
    ("5555551234", "555/555/1234"),
    ("5555551234", "555\u00a0555\u00a01234"),
    ("5555551234", "555\u2013555\u20131234"),
    ("5555551234", "(555) 555-1234"),
    ("442079460958", "+44 20 7946 0958"),
    ("442079460958", "+44\u00a020\u00a07946\u00a00958"),
    ("33612345678", "+33 6 12 34 56 78"),
    ("0612345678", "06.12.34.56.78"),
    ("4930901820", "+49 (0)30 901820"),
    ("5555551234", "https://pub.example/?tel=%2B1%20555%20555%201234"),
    ("5555551234", "tel:555.555.1234"),
    ("123456789", "SSN 123-45-6789"),
    ("123456789", "ssn 123\u201345\u20136789"),
    ("DE89370400440532013000", "IBAN DE89 3704 0044 0532 0130 00"),
    ("DE89370400440532013000", "DE89370400440532013000"),
    ("GB29NWBK60161331926819", "Pay to GB29 NWBK 6016 1331 9268 19 EUR"),
    ("FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606"),
    ("NL91ABNA0417164300", "https://pub.example/donate?iban=NL91ABNA0417164300"),
]

HAND_WRITTEN_ORDINARY = [
    "Order #12345678 has shipped", "Your order 87654321 is on its way", "Invoice INV-2026-0042",
    "Published 2026-11-29", "29/11/2026", "11/29/2026 10:30 AM", "2026-11-29 10:30", "29.11.2026 14:00",
    "2026-11-29T10:30:00Z", "Nov 29, 2026 at 10:30", "10:30:15", "Opening hours 09:00-17:30",
    "$1,299.99", "€ 1.299,99", "Price: 12 999 kr", "£19.99 (was £24.99)", "¥120,000",
    "v2.14.3", "Python 3.12.1", "Chrome 120.0.6099.109 released", "macOS 14.2.1", "Release 10.15.7",
    "ISBN 978-3-16-148410-0", "ISBN 9783161484100", "ISBN 0-306-40615-2", "ISBN-13: 979-10-90636-07-1",
    "48.8584, 2.2945", "48.8584,2.2945", "lat=48.8584&lon=2.2945", "40°42′46″N 74°00′21″W",
    "-33.8688, 151.2093", "https://maps.example/@48.8584,2.2945,15z",
    "https://pub.example/2026/11/29/city-council-votes", "https://pub.example/article/123456?page=2",
    "https://pub.example/search?q=river+path&sort=new", "Top 10 bakeries in 2026",
    "Match report: 3-1 win, 45,000 fans", "Temperatures 12-18 °C", "Page 2 of 14",
    "Call us! (opening soon)", "Room 101, Floor 3", "Flight LH 400 at 13:05", "Postcode 75008 Paris",
    "Score 98.6%", "1/2 cup flour", "A4 210 × 297 mm", "@candor on social media", "Email us via the form",
    "tweet @news_desk", "user@ domain", "HTTP 404 Not Found", "https://pub.example/#section-2",
]


def luhn_completed(body):
    total = 0
    for offset, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if offset % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


def iban(country, bban):
    number = int("".join(str(int(char, 36)) for char in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


def isbn13(body):
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def isbn10(body):
    check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def fullwidth(text):
    return "".join(chr(ord(c) + FULLWIDTH_OFFSET) if "!" <= c <= "~" else "\u3000" if c == " " else c
                   for c in text)


def digits(rng, count):
    return "".join(rng.choice("0123456789") for _ in range(count))


def grouped(number, sizes, separator):
    groups, at = [], 0
    for size in sizes:
        groups.append(number[at:at + size])
        at += size
    if at < len(number):
        groups.append(number[at:])
    return separator.join(group for group in groups if group)


def email_forms(rng, address):
    local, domain = address.split("@")
    return [address, address.replace("@", "%40"), address.replace("@", "%40").replace(".", "%2E"),
            address.replace("@", "＠"), f"{local} @ {domain}", f"{local}[at]{domain}",
            f"{local} [at] {domain.replace('.', ' [dot] ')}", f"{local}(at){domain}", fullwidth(address),
            quote(quote(address, safe=""), safe="")]


def phone_forms(rng, number):
    sep = rng.choice([" ", "-", ".", " - ", "/", "\u00a0", "\u2013", " \u2013 ", "\u2011"])
    us = f"{number[:3]}{sep}{number[3:6]}{sep}{number[6:]}"
    return [us, f"({number[:3]}) {number[3:6]}-{number[6:]}", f"+1 {us}", f"+44 {number[:2]} {number[2:6]} {number[6:]}",
            " ".join(number[i:i + 2] for i in range(0, 10, 2)), quote(f"+1 {us}", safe=""), fullwidth(us)]


def card_forms(rng, number):
    sep = rng.choice([" ", "-", ".", "/", "  ", "\u00a0", "\u2013", "+"])
    four = grouped(number, [4] * 4, sep)
    return [number, four, f"{four} {rng.randint(1, 12):02d}/{rng.randint(26, 31)}", f"{four} {digits(rng, 3)}",
            f"{rng.choice('0123456789')} {four}", f"{four}{sep}{digits(rng, 3)}", quote(four, safe=""),
            fullwidth(four), f"exp {rng.randint(1, 12):02d}/{rng.randint(26, 31)} {four}"]


def in_context(rng, value):
    """The same value where pages carry it: in a title, a query value, a path, a fragment, an attribute."""
    word = rng.choice(WORDS)
    return [f"{word.title()} update: {value} - The Daily", f"https://pub.example/{word}?contact={quote(value, safe='')}&page=2",
            f"https://pub.example/u/{quote(value, safe='')}/{word}", f"https://pub.example/{word}#{quote(value, safe='')}",
            value]


def generated_personal(rng):
    cases = []
    for _ in range(12):
        address = f"{rng.choice(NAMES)}{rng.randint(0, 99)}@{rng.choice(DOMAINS)}"
        cases += [(address, text) for form in email_forms(rng, address) for text in in_context(rng, form)[:3]]
    for _ in range(12):
        number = rng.choice("23456789") + digits(rng, 9)
        cases += [(number, text) for form in phone_forms(rng, number) for text in in_context(rng, form)[:3]]
    for _ in range(12):
        prefix = rng.choice(["4", "51", "52", "55", "2221", "6011", "65"])
        number = luhn_completed(prefix + digits(rng, 15 - len(prefix)))
        cases += [(number, text) for form in card_forms(rng, number) for text in in_context(rng, form)[:3]]
    for _ in range(10):
        ssn = f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
        cases += [(ssn.replace("-", ""), text) for text in in_context(rng, ssn)]
    for _ in range(12):
        country = rng.choice(sorted(IBAN_COUNTRIES))
        compact = iban(country, digits(rng, IBAN_COUNTRIES[country]))
        spaced = grouped(compact, [4] * 9, " ")
        cases += [(compact, text) for form in (compact, spaced) for text in in_context(rng, form)]
    return cases


def generated_ordinary(rng):
    cases = []
    for _ in range(40):
        order = str(rng.randint(1, 99_999_999))
        day = f"{rng.randint(2000, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        time = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        price = f"{rng.choice(['$', '€', '£'])}{rng.randint(1, 9999):,}.{rng.randint(0, 99):02d}"
        version = rng.choice([f"{rng.randint(0, 30)}.{rng.randint(0, 40)}.{rng.randint(0, 300)}",
                              f"{rng.randint(100, 140)}.0.{rng.randint(4000, 7000)}.{rng.randint(0, 300)}"])
        isbn_13 = isbn13(rng.choice(["978", "979"]) + digits(rng, 9))
        isbn_10 = isbn10(digits(rng, 9))
        lat, lon = f"{rng.uniform(-89, 89):.4f}", f"{rng.uniform(-179, 179):.4f}"
        cases += [
            f"Order {order} confirmed", f"https://shop.example/orders/{order}?step=2",
            f"{day} {time}", f"{day}T{time}:00Z", f"Updated {day[8:]}.{day[5:7]}.{day[:4]} {time}",
            f"Now {price}", f"Version {version}", f"ISBN {isbn_13[:3]}-{isbn_13[3]}-{isbn_13[4:9]}-{isbn_13[9:12]}-{isbn_13[12]}",
            f"ISBN {isbn_13}", f"ISBN {isbn_10[0]}-{isbn_10[1:4]}-{isbn_10[4:9]}-{isbn_10[9]}",
            f"{lat}, {lon}", f"https://maps.example/?ll={lat},{lon}&z=12",
        ]
    return cases


def personal_cases():
    """(secret, text) pairs: `secret` is an e-mail address, or the digits (letters and digits
    for an IBAN) that must not survive in `text`."""
    return HAND_WRITTEN_PERSONAL + generated_personal(random.Random(SEED))


def ordinary_cases():
    return HAND_WRITTEN_ORDINARY + generated_ordinary(random.Random(SEED))


def tag_scrub(text):
    return scrub_text(text, [], re_replace_all)


def stored(text):
    """What the collector keeps of a field the tag sent: the tag's rules, then the collector's."""
    return scrub_for_storage(tag_scrub(text), [])


def survives(secret, output):
    """Whether the secret can still be read in `output`, however it was written there."""
    seen = normalised(output).lower()
    if "@" in secret:
        local, domain = secret.split("@")
        return local in seen and domain.split(".")[0] in seen
    if secret.isdigit():
        return secret in digits_of(seen)
    return secret.lower() in seen.replace(" ", "").replace("-", "")


def rates(scrub):
    """(false negatives, positives, false positives, ordinary strings) for one scrub function."""
    positives, ordinary = personal_cases(), ordinary_cases()
    missed = [text for secret, text in positives if survives(secret, scrub(text))]
    changed = [text for text in ordinary if scrub(text) != text]
    return missed, len(positives), changed, len(ordinary)


def main():
    for label, scrub in (("tag rules alone", tag_scrub), ("stored by the collector", stored)):
        missed, positives, changed, ordinary = rates(scrub)
        print(f"{label}: false negatives {len(missed)}/{positives} ({len(missed) / positives:.1%}), "
              f"false positives {len(changed)}/{ordinary} ({len(changed) / ordinary:.1%})")
        for text in missed + changed:
            print("   ", repr(text), "->", repr(scrub(text)))


if __name__ == "__main__":
    main()
