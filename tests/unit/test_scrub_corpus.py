"""The corpus (tests/unit/scrub_corpus.py): every piece of personal data in it is gone from what
the collector stores, and every ordinary publisher string comes through the tag and the
collector unchanged. The README quotes the rates `python tests/unit/scrub_corpus.py` prints."""
import pytest
from scrub_corpus import HAND_WRITTEN_ORDINARY, HAND_WRITTEN_PERSONAL, ordinary_cases, personal_cases, rates, stored, survives, tag_scrub


def test_the_corpus_holds_hundreds_of_cases_of_each_side():
    assert len(personal_cases()) >= 1000 and len(ordinary_cases()) >= 500


def test_no_personal_data_in_the_corpus_is_stored():
    missed, positives, _, _ = rates(stored)
    assert missed == [], f"{len(missed)} of {positives} stored unscrubbed"


def test_no_ordinary_string_in_the_corpus_is_changed_by_the_tag_or_the_collector():
    _, _, changed, ordinary = rates(stored)
    assert changed == [], f"{len(changed)} of {ordinary} changed"


@pytest.mark.parametrize("secret, text", HAND_WRITTEN_PERSONAL)
def test_each_hand_written_case_is_scrubbed_before_storage(secret, text):
    assert not survives(secret, stored(text))


@pytest.mark.parametrize("text", HAND_WRITTEN_ORDINARY)
def test_each_hand_written_ordinary_string_leaves_the_tag_unchanged(text):
    assert tag_scrub(text) == text
