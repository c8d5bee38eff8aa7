"""Identifiers: random, well-formed, and never taken from a tampered cookie."""
import re
import uuid

import pytest
from fakes import FakeWindow
from ids import is_visitor_id, uuid4, visitor_id


def test_visitor_id_is_128_random_bits_in_hex():
    win = FakeWindow()
    ids = {visitor_id(win) for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in ids)


def test_uuid4_is_a_version_4_rfc_4122_uuid():
    value = uuid4(FakeWindow())
    parsed = uuid.UUID(value)
    assert str(parsed) == value
    assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


@pytest.mark.parametrize("value, valid", [
    ("0123456789abcdef0123456789abcdef", True),
    ("0123456789ABCDEF0123456789abcdef", False),
    ("0123456789abcdef", False),
    ("0123456789abcdef0123456789abcdeg", False),
    ("me@example.com" + "0" * 18, False),
    ("", False),
    (None, False),
])
def test_is_visitor_id(value, valid):
    assert is_visitor_id(value) is valid
