"""Random identifiers: the visitor id cookie value and event ids, from the browser's CSPRNG."""
# __pragma__ ('skip')
from pyshim import __new__
# __pragma__ ('noskip')

HEX = '0123456789abcdef'


def random_bytes(win, count):
    """`count` bytes from the CSPRNG every browser since 2013 has; no guessable fallback."""
    return win.crypto.getRandomValues(__new__(win.Uint8Array(count)))


def hex_string(data, dashes_before):
    text = ''
    for i in range(len(data)):
        if i in dashes_before:
            text += '-'
        text += HEX[data[i] >> 4] + HEX[data[i] & 15]
    return text


def visitor_id(win):
    """128 random bits as 32 hex characters: no PII, nothing derived from the visitor."""
    return hex_string(random_bytes(win, 16), [])


def is_visitor_id(value):
    """Guards against a tampered or foreign `candor_id` cookie reaching the collector."""
    if value is None or len(value) != 32:
        return False
    for char in value:
        if char not in HEX:
            return False
    return True


def uuid4(win):
    """An RFC 4122 version 4 UUID; crypto.randomUUID is missing outside secure contexts."""
    data = random_bytes(win, 16)
    data[6] = (data[6] & 15) | 64
    data[8] = (data[8] & 63) | 128
    return hex_string(data, [4, 6, 8, 10])
