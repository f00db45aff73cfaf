"""The one normaliser of text people type: single lines are header-safe, paragraphs keep their
line breaks and lose everything else a terminal or a mail header would trip on."""

from __future__ import annotations

import pytest

from web.text_input import multi_line, single_line


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Road bike  ", "Road bike"),
        ("Road\r\nBcc: evil@example.com", "Road Bcc: evil@example.com"),
        ("Road\rbike\nnow", "Road bike now"),
        ("Tab\tand\u2028line\u2029separators\x85too", "Tab and line separators too"),
        ("Bell\x07 escape\x1b[31m nul\x00 del\x7f", "Bell escape[31m nul del"),
        ("Cafe\u0301", "Caf\u00e9"),  # one way to write each letter (NFC)
        ("\u00a0\u3000", ""),  # only spaces, of any kind
    ],
)
def test_single_line_is_one_clean_line(typed, kept):
    assert single_line(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Line one\r\nLine two\r\n\r\n  ", "Line one\nLine two"),
        ("Old Mac\rline ends", "Old Mac\nline ends"),
        ("Keep\ttabs, drop\x00 nul and\x1b escape", "Keep\ttabs, drop nul and escape"),
        ("Cafe\u0301", "Caf\u00e9"),
    ],
)
def test_multi_line_keeps_line_breaks_only(typed, kept):
    assert multi_line(typed) == kept


def test_no_value_stays_no_value():
    assert single_line(None) is None and multi_line(None) is None
