"""Every mail subject goes through safe_subject: one line, no control characters, capped."""

from __future__ import annotations

import pytest

from indexer.mailer.subjects import MAX_SUBJECT, safe_subject


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Road bike, 56 cm", "Road bike, 56 cm"),
        ("Bike\r\nBcc: eve@example.com", "Bike Bcc: eve@example.com"),
        ("Bell\x07 and\x00 null\x1b[31m", "Bell and null [31m"),
        ("Line\u2028separator\u2029and\x85next", "Line separator and next"),
        ("Right\u202eto left", "Right to left"),
        ("  lots   of\t\tspace  ", "lots of space"),
        ("Caf\u00e9 \u2014 \U0001f6b2 bike", "Caf\u00e9 \u2014 \U0001f6b2 bike"),
        ("", ""),
    ],
)
def test_subjects_are_one_clean_line(raw, safe):
    assert safe_subject(raw) == safe


def test_long_subjects_are_cut_at_a_word_with_an_ellipsis():
    raw = "Your listing expires soon: " + "very long title " * 20
    subject = safe_subject(raw)
    assert len(subject) <= MAX_SUBJECT and subject.endswith("\u2026")
    assert raw.startswith(subject[:-1] + " "), "cut between two words"


def test_a_subject_without_spaces_is_cut_exactly_at_the_limit():
    subject = safe_subject("x" * 500, max_length=40)
    assert subject == "x" * 39 + "\u2026"


def test_a_subject_at_the_limit_is_kept_whole():
    assert safe_subject("y" * MAX_SUBJECT) == "y" * MAX_SUBJECT
