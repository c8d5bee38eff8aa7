"""PII scrubbing (CONTRACT §3): one set of rules, run by the tag before anything leaves the
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
US_SSN = r'\d{3}-\d\d-\d{4}'
# 9 to 15 digits with the separators people write phone numbers with: + ( ) . - and spaces,
# also percent-encoded (%20 to %2F) as they appear inside URLs.
PHONE_RUN = r'([+(]|%2[\dA-Fa-f]){0,3}\d(([ ().+-]|%2[\dA-Fa-f]){0,2}\d){8,}'
# One query or fragment parameter: delimiter, name, '=', value.
PARAMETER = '[?&;#][^=&#?;]+=[^&#;]*'
# A parameter whose name contains one of these words loses its value.
SENSITIVE_PARAMETER_WORDS = ['mail', 'phone', 'name', 'pass', 'pwd', 'token', 'secret', 'ssn']
TEXT_FIELDS = ['url', 'ref', 'title']
MAP_FIELDS = ['attrs', 'props']


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
    digits = digits_of(found)
    return '[card]' if 13 <= len(digits) <= 19 and luhn_valid(digits) else found


def phone_replacer(found):
    count = len(digits_of(found))
    return '[phone]' if 9 <= count <= 15 else found


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
    """Scrubs url, ref, title and the values of attrs and props in place (CONTRACT §3)."""
    for field in keys_of(event):
        value = event[field]
        if field in TEXT_FIELDS:
            event[field] = scrub_text(value, scrub_params, replace_all)
        elif field in MAP_FIELDS and value:
            for key in keys_of(value):
                value[key] = scrub_text(value[key], scrub_params, replace_all)
    return event


def js_replace_all(win):
    """replace_all for the bundle, on the browser's own RegExp (no regex engine shipped)."""
    return lambda text, pattern, replacer: text.replace(win.RegExp(pattern, 'g'), replacer)


# __pragma__ ('skip')
def re_replace_all(text, pattern, replacer):
    """replace_all for CPython: the same patterns through re, ASCII-only like JavaScript's."""
    return re.sub(pattern, lambda match: replacer(match.group(0)), text, flags=re.ASCII)
# __pragma__ ('noskip')
