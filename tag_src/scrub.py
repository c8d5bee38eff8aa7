"""PII scrubbing (CONTRACT.md §3): one set of rules, run by the tag before anything leaves the
browser and again by the collector before anything is stored.

The patterns are written in the subset of regular expressions that JavaScript's RegExp and
Python's re read alike (ASCII classes; \\d and \\w, which re.ASCII makes Python read as
JavaScript does; no lookbehind, no named groups, no flags); the checks behind them (digit
counts, Luhn) are plain Python that Transcrypt compiles. Each runtime brings its own
`replace_all(text, pattern, replacer)`: the bundle uses `js_replace_all(win)`, CPython (tests
and the collector) `re_replace_all`.
"""
# __pragma__ ('alias', 'append', 'push')
# __pragma__ ('alias', 'lower', 'toLowerCase')
# __pragma__ ('alias', 'find', 'indexOf')
# __pragma__ ('noalias', 'replace')
# __pragma__ ('noalias', 'split')

# __pragma__ ('skip')
import re
import unicodedata
from urllib.parse import unquote
try:
    from pyshim import __typeof__
except ModuleNotFoundError:  # the collector imports this module as tag_src.scrub
    from tag_src.pyshim import __typeof__
# __pragma__ ('noskip')

DIGITS = '0123456789'
LUHN_DOUBLED = '0516273849'
"""Luhn's doubled digits: the digit at index k doubles to a digit sum of k (5 -> 10 -> 1)."""
# local@domain.tld, also percent-encoded (%40) as it appears inside URLs.
EMAIL = r'[\w.%+-]+(@|%40)[A-Za-z\d-]+(\.[A-Za-z\d-]+)*\.[A-Za-z]{2,}'
# A run of digits with single separators (space, dash, or + and %20 inside URLs): a card number
# when it has 13 to 19 digits and passes Luhn.
CARD_RUN = r'\d(([ +-]|%20)?\d){12,}'
US_SSN = r'\d{3}-\d\d-\d{4}(?!\d)'
# 9 to 15 digits with the separators people write phone numbers with: + ( ) - and spaces, also
# percent-encoded (%20 to %2F) as they appear inside URLs. Not a date followed by its time (':'
# after it), nor a hyphenated ISBN (one check digit after the last hyphen). Dots are left to the
# collector, which can tell 555.123.4567 from a version or coordinates.
PHONE_RUN = r'([+(]|%2\w){0,3}\d(([ ()+-]|%2\w){0,2}\d){7,}\d(?![\d-]|:\d)'
# One query or fragment parameter: delimiter, name, '=', value.
PARAMETER = '[?&;#][^=&#?;]+=[^&#;]*'
# A parameter whose name contains one of these words loses its value.
SENSITIVE_PARAMETER_WORDS = ['mail', 'phone', 'name', 'pass', 'pwd', 'token', 'secret', 'ssn']
MAP_FIELDS = ['attrs', 'props']
UNSCRUBBED_FIELDS = ['id', 'type']
"""The tag's own values: the event id (a UUID the collector checks) and the event type."""


def digits_of(text):
    """The digits of `text`, leaving out the hex digits of escapes such as %20."""
    digits = ''
    escape = 0
    for char in text:
        if char == '%':
            escape = 3
        if escape:
            escape -= 1
        elif char in DIGITS:
            digits += char
    return digits


def luhn_valid(digits):
    """The check digit of payment cards: doubling every second digit from the right sums to 0 mod 10."""
    total = 0
    for i in range(len(digits)):
        total += (DIGITS if (len(digits) - i) & 1 else LUHN_DOUBLED).find(digits[i])
    return total // 10 * 10 == total


def card_replacer(found):
    """13 to 19 digits that pass Luhn and do not start with 7 to 9 (no major card does; every ISBN does)."""
    digits = digits_of(found)
    return '[card]' if 13 <= len(digits) <= 19 and digits[0] < '7' and luhn_valid(digits) else found


def phone_replacer(found):
    """9 to 15 digits, except 13 starting with 9: an ISBN-13 (978, 979) more often than a phone."""
    digits = digits_of(found)
    if 9 <= len(digits) <= 15 and (len(digits) != 13 or digits[0] != '9'):
        return '[phone]'
    return found


def parameter_replacer(scrub_params):
    """Keeps `?name=` but drops the value of sensitive or publisher-listed parameters."""
    def replace(found):
        name = found.split('=')[0]
        key = name.lower()
        for word in SENSITIVE_PARAMETER_WORDS:
            if word in key:
                return name + '='
        for listed in scrub_params or []:
            if key == key[0] + listed.lower():
                return name + '='
        return found
    return replace


def scrub_text(value, scrub_params, replace_all):
    """The value with PII removed; anything but a string comes back unchanged."""
    if __typeof__(value) != 'string':
        return value
    value = replace_all(value, PARAMETER, parameter_replacer(scrub_params))
    value = replace_all(value, EMAIL, lambda found: '[email]')
    value = replace_all(value, CARD_RUN, card_replacer)
    value = replace_all(value, US_SSN, lambda found: '[ssn]')
    return replace_all(value, PHONE_RUN, phone_replacer)


def scrub_event(event, scrub_params, replace_all, keys_of):
    """Scrubs every text field in place (url, ref, title, name, lang, tz...) and the values of
    attrs and props (CONTRACT.md §3), except the UNSCRUBBED_FIELDS."""
    for field in keys_of(event):
        value = event[field]
        if field in MAP_FIELDS and value:
            for key in keys_of(value):
                value[key] = scrub_text(value[key], scrub_params, replace_all)
        elif field not in UNSCRUBBED_FIELDS:
            event[field] = scrub_text(value, scrub_params, replace_all)
    return event


def js_replace_all(win):
    """replace_all for the bundle, on the browser's own RegExp (no regex engine shipped)."""
    return lambda text, pattern, replacer: text.replace(win.RegExp(pattern, 'g'), replacer)


# __pragma__ ('skip')
def re_replace_all(text, pattern, replacer):
    """replace_all for CPython: the same patterns through re, ASCII-only like JavaScript's."""
    return re.sub(pattern, lambda match: replacer(match.group(0)), text, flags=re.ASCII)


# The collector's pass (CPython only, never in the bundle, where every byte counts): on a
# normalised copy of each field, rules that find what the tag's rules above find and what they
# leave out: obfuscated e-mails, phones and cards in any grouping, IBANs.
LABELS = {'[email]': 'email', '[phone]': 'phone', '[card]': 'card', '[ssn]': 'ssn', '[iban]': 'iban'}
MAX_DECODE_ROUNDS = 8
"""Percent-decoding stops when the text is stable; a field nested deeper than this is decoded no further."""
SPACES = {codepoint: ' ' for codepoint in range(0x10000)
          if unicodedata.category(chr(codepoint)) == 'Zs' or chr(codepoint) in '\t\n\r\v\f'}
DASHES = {codepoint: '-' for codepoint in range(0x10000)
          if unicodedata.category(chr(codepoint)) == 'Pd' or codepoint in (0x2212, 0x2043, 0xFE63, 0xFF0D)}
INVISIBLE = {codepoint: None for codepoint in [*range(0x10000), *range(0xE0000, 0xE0080)]
             if unicodedata.category(chr(codepoint)) == 'Cf'}
NORMAL_FORMS = {**INVISIBLE, **SPACES, **DASHES}
AT = r'(?:[\s+]?@[\s+]?|[\s+]?[\[({<]\s?at\s?[\])}>][\s+]?)'
DOT = r'(?:\.|\s?[\[({<]\s?dot\s?[\])}>]\s?)'
STRICT_EMAIL = re.compile(rf'[\w.%+-]{{1,64}}{AT}[\w-]{{1,63}}(?:{DOT}[\w-]{{1,63}}){{0,8}}{DOT}[A-Za-z]{{2,63}}\b', re.I)
# Digits with up to two separators between them (spaces, dots, slashes, dashes, plus):
# a card, perhaps with digits stuck to it (an expiry, a CVV, a stray digit before it).
STRICT_DIGIT_RUN = re.compile(r'\d(?:[ ./+_-]{0,2}\d){12,}')
STRICT_PHONE = re.compile(r'(?<!\d)\+?\(?\d(?:[ ()./+-]{0,3}\d){8,14}(?![\d-]|:\d)')
IBAN = re.compile(r'\b[A-Z]{2}\d\d(?:[ +-]?[A-Z\d]){11,30}\b')
CARD_GROUP_LAYOUTS = ([4, 6, 4], [4, 6, 5])
"""Besides groups of four (the last one shorter): Diners and American Express."""
COORDINATES = re.compile(r'-?\d{1,3}\.\d{3,}[ ,;/]+-?\d{1,3}\.\d{3,}')
ISBN_13 = re.compile(r'97[89](?:-?\d){10}')
ISBN_10 = re.compile(r'\d{1,5}-\d{1,7}-\d{1,7}-[\dX]')
VERSION = re.compile(r'\d+(?:\.\d+)*\.\d\.\d+(?:\.\d+)*')


def normalised(text):
    """What a reader would see: percent-escapes decoded until stable, NFKC (fullwidth and other
    compatibility forms), every space a space, every dash a hyphen, invisible characters gone."""
    for _ in range(MAX_DECODE_ROUNDS):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return unicodedata.normalize('NFKC', text).translate(NORMAL_FORMS)


def luhn_card(digits):
    """A payment card number as the tag's card_replacer reads one."""
    return card_replacer(digits) != digits


def card_layout(groups):
    return (all(len(group) == 4 for group in groups[:-1]) and 1 <= len(groups[-1]) <= 4
            or [len(group) for group in groups] in CARD_GROUP_LAYOUTS)


def holds_card(run):
    """A card among the digit groups of `run`: one group, or consecutive groups laid out as cards
    are. A card has at most 19 digits, so each start looks no further than that: linear in `run`."""
    groups = re.findall(r'\d+', run)
    for start in range(len(groups)):
        count = 0
        # Every layout of several groups starts with a group of four.
        last = len(groups) if len(groups[start]) == 4 else start + 1
        for end in range(start + 1, last + 1):
            count += len(groups[end - 1])
            if count > 19:
                break
            chosen = groups[start:end]
            if (len(chosen) == 1 or card_layout(chosen)) and luhn_card(''.join(chosen)):
                return True
    return False


def iban_valid(compact):
    """ISO 13616: the country code and check digits moved to the end, letters as 10 to 35, mod 97 is 1."""
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int(''.join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def iban_replacer(found):
    """The longest run of whole groups that is a valid IBAN (a word after it may have been caught too)."""
    groups = list(re.finditer(r'[A-Z\d]+', found))
    for count in range(len(groups), 0, -1):
        end = groups[count - 1].end()
        if iban_valid(re.sub(r'[ +-]', '', found[:end])):
            return '[iban]' + found[end:]
    return found


def strict_phone_replacer(found):
    """9 to 15 digits, unless they read as an ISBN, a version number or a pair of coordinates."""
    if not 9 <= len(digits_of(found)) <= 15:
        return found
    for shape in (ISBN_13, ISBN_10, VERSION, COORDINATES):
        if shape.fullmatch(found):
            return found
    return '[phone]'


def sensitive_parameter_recorder(found_kinds):
    """The tag's parameter rule, noting every sensitive parameter, emptied here or by the tag."""
    drop = parameter_replacer([])

    def replace(match):
        found = match.group(0)
        result = drop(found)
        if result.endswith('=') and any(word in result.lower() for word in SENSITIVE_PARAMETER_WORDS):
            found_kinds.append('parameter')
        return result
    return replace


STRICT_RULES = (
    (STRICT_EMAIL, lambda found: '[email]'),
    (IBAN, iban_replacer),
    (STRICT_DIGIT_RUN, lambda found: '[card]' if holds_card(found) else found),
    (re.compile(US_SSN), lambda found: '[ssn]'),
    (STRICT_PHONE, strict_phone_replacer),
)


def scrub_for_storage(value, found_kinds):
    """The collector's scrub of one string: its rules, which find all the tag's rules find and
    more, on the normalised text, each in time linear in the text's length (the tag's phone
    pattern can take quadratic time on a long digit run, harmless in one page but not in a
    server). Unchanged text comes back exactly as sent; scrubbed text comes back normalised.
    Each kind of personal data in the result (also labels the tag put in) and each sensitive
    parameter is appended to `found_kinds`."""
    if not isinstance(value, str):
        return value
    text = normalised(value)
    scrubbed = re.sub(PARAMETER, sensitive_parameter_recorder(found_kinds), text)
    for pattern, replacer in STRICT_RULES:
        scrubbed = pattern.sub(lambda match: replacer(match.group(0)), scrubbed)
    result = value if scrubbed == text else scrubbed
    for label, kind in LABELS.items():
        found_kinds.extend([kind] * result.count(label))
    return result
# __pragma__ ('noskip')
